import { baseCapacityProblem } from "../lib/redshift-capacity";
import { ConfigProblem, ConfigValidationError } from "../lib/validation";
import { problemsFromZod } from "../lib/zod-problems";
import { environmentSchema } from "./schema";

/** An environment that passed {@link validateEnvironments}: defaults applied, types narrowed. */
export type Environment = ReturnType<typeof environmentSchema.parse>;

/** Minimums for the production tier: what "protected and durable" means here. */
export const PRODUCTION_MINIMUMS = {
  logDays: 365,
  streamHours: 168,
  kmsDeletionWindowDays: 30,
  noncurrentVersionDays: 30,
} as const;

/**
 * Validates every environment, each on its own and then against each other, and throws one error
 * listing every problem. Nothing may be synthesized from configuration that did not pass here.
 */
export function validateEnvironments(configs: readonly unknown[]): Environment[] {
  const problems: ConfigProblem[] = [];
  const parsed: Environment[] = [];
  configs.forEach((config, index) => {
    const label = environmentLabel(config, index);
    const result = environmentSchema.safeParse(config);
    if (!result.success) {
      problems.push(...problemsFromZod(result.error, config, label));
      return;
    }
    problems.push(...crossFieldProblems(result.data, label));
    parsed.push(result.data);
  });
  problems.push(...acrossEnvironmentProblems(parsed));
  if (problems.length > 0) throw new ConfigValidationError("Invalid environment configuration", problems);
  return parsed;
}

function environmentLabel(config: unknown, index: number): string {
  const name = (config as { name?: unknown } | null)?.name;
  return typeof name === "string" && name ? name : `environments[${index}]`;
}

/** Rules that relate fields of one environment. */
export function crossFieldProblems(env: Environment, label: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, value: unknown, message: string) => problems.push({ path: `${label}.${path}`, value, message });

  if (env.streaming.maxWorkers < env.streaming.workers) {
    add("streaming.maxWorkers", env.streaming.maxWorkers, `must be >= streaming.workers (${env.streaming.workers}); auto scaling starts from workers`);
  }
  const baseCapacity = baseCapacityProblem(env.warehouse.baseCapacityRpu, env.account.region);
  if (baseCapacity) add("warehouse.baseCapacityRpu", env.warehouse.baseCapacityRpu, baseCapacity);
  if (env.warehouse.maxCapacityRpu < env.warehouse.baseCapacityRpu) {
    add("warehouse.maxCapacityRpu", env.warehouse.maxCapacityRpu, `must be >= warehouse.baseCapacityRpu (${env.warehouse.baseCapacityRpu})`);
  }
  env.warehouse.usageLimits.forEach((limit, index) => {
    // A deactivated workgroup refuses every load: always-on streaming jobs would fail in a loop.
    if (limit.breachAction === "deactivate" && env.streaming.jobs === "always-on") {
      add(`warehouse.usageLimits[${index}].breachAction`, "deactivate", 'must be "log" or "emit-metric" while streaming.jobs is "always-on" (a deactivated workgroup makes the streaming jobs fail in a loop)');
    }
  });
  if (env.bi.createAccountSubscription && !env.bi.enabled) {
    add("bi.createAccountSubscription", true, "needs bi.enabled = true; a subscription without BI resources only costs money");
  }
  if (env.tier === "production") problems.push(...productionProblems(env, label));
  else if (env.protection.preventDestroy && env.protection.forceDestroy) {
    add("protection.forceDestroy", true, "contradicts protection.preventDestroy = true; choose one");
  }
  return problems;
}

function productionProblems(env: Environment, label: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, value: unknown, message: string) => problems.push({ path: `${label}.${path}`, value, message });
  if (!env.protection.preventDestroy) add("protection.preventDestroy", false, "must be true in a production environment: stateful resources are protected from destroy");
  if (env.protection.forceDestroy) add("protection.forceDestroy", true, "must be false in a production environment: buckets are never emptied by terraform");
  const minimums: [string, number, number][] = [
    ["retention.logDays", env.retention.logDays, PRODUCTION_MINIMUMS.logDays],
    ["retention.streamHours", env.retention.streamHours, PRODUCTION_MINIMUMS.streamHours],
    ["retention.noncurrentVersionDays", env.retention.noncurrentVersionDays, PRODUCTION_MINIMUMS.noncurrentVersionDays],
    ["protection.kmsDeletionWindowDays", env.protection.kmsDeletionWindowDays, PRODUCTION_MINIMUMS.kmsDeletionWindowDays],
  ];
  for (const [path, value, minimum] of minimums) {
    if (value < minimum) add(path, value, `must be at least ${minimum} in a production environment`);
  }
  return problems;
}

/** Rules that relate environments to each other. */
export function acrossEnvironmentProblems(envs: readonly Environment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenNames = new Map<string, number>();
  const seenState = new Map<string, string>();
  envs.forEach((env, index) => {
    if (seenNames.has(env.name)) {
      problems.push({ path: `${env.name}.name`, value: env.name, message: `is used by environments[${seenNames.get(env.name)}] too; names must be unique` });
    }
    seenNames.set(env.name, index);
    const stateLocation = `s3://${env.state.bucket}/${env.state.key}`;
    const owner = seenState.get(stateLocation);
    if (owner) {
      problems.push({ path: `${env.name}.state`, value: stateLocation, message: `is also the state of "${owner}"; each environment needs its own bucket or key` });
    }
    seenState.set(stateLocation, env.name);
  });
  return problems;
}
