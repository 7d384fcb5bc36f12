import { baseCapacityProblem } from "../lib/redshift-capacity";
import { PROD_MIN_LOG_RETENTION_DAYS } from "../policies/rules/keys-logs";
import { PROD_MIN_STREAM_RETENTION_HOURS } from "../policies/rules/streaming";
import { MAX_EXTRA_TAGS, REQUIRED_TAG_KEYS, tagProblems } from "../lib/tags";
import { CheckedDocument, ConfigProblem, ConfigRule, ConfigValidationError, problem, readsAccepted, valueAt } from "../lib/validation";
import { checkDocuments } from "../lib/zod-problems";
import { availabilityZonesOf } from "../modules/network/addressing";
import { environmentSchema } from "./schema";

/** An environment that passed {@link validateEnvironments}: defaults applied, types narrowed. */
export type Environment = ReturnType<typeof environmentSchema.parse>;

/** Minimums for the production tier: what "protected and durable" means here (the policy suite's own numbers). */
export const PRODUCTION_MINIMUMS = {
  logDays: PROD_MIN_LOG_RETENTION_DAYS,
  streamHours: PROD_MIN_STREAM_RETENTION_HOURS,
  kmsDeletionWindowDays: 30,
  noncurrentVersionDays: 30,
} as const;

export type CheckedEnvironment = CheckedDocument<Environment>;

export interface EnvironmentCheck {
  readonly checked: readonly CheckedEnvironment[];
  /** Every problem, each environment's own and those between environments. */
  readonly problems: readonly ConfigProblem[];
}

/**
 * Checks every environment: its schema, then every rule whose fields the schema accepted, then the
 * rules between environments. Never throws: later stages (pipelines, the combination of both) run
 * on what this found, so that one report lists everything.
 */
export function checkEnvironments(configs: readonly unknown[]): EnvironmentCheck {
  const { checked, problems } = checkDocuments<Environment>(configs, environmentSchema, environmentLabel, ENVIRONMENT_RULES);
  return { checked, problems: [...problems, ...acrossEnvironmentProblems(checked)] };
}

/** Validates every environment, alone and against each other; throws one error listing every problem. */
export function validateEnvironments(configs: readonly unknown[]): Environment[] {
  const { checked, problems } = checkEnvironments(configs);
  if (problems.length > 0) throw new ConfigValidationError("Invalid environment configuration", problems);
  return checked.map((c) => c.value);
}

function environmentLabel(config: unknown, index: number): string {
  const name = (config as { name?: unknown } | null)?.name;
  return typeof name === "string" && /^[\w-]+$/.test(name) ? name : `environments[${index}]`;
}

type Rule = ConfigRule<Environment>;
const production = (env: Environment) => env.tier === "production";

/** A production minimum: `path` of at least `minimum` when the tier is production. */
const productionMinimum = (path: string, minimum: number, read: (env: Environment) => number): Rule => ({
  reads: ["tier", path],
  check: (env) => (production(env) && read(env) < minimum ? [problem(path, read(env), `must be at least ${minimum} in a production environment`)] : []),
});

/** An IAM Identity Center permission set's role: its sign-in enforces MFA, its sessions carry no MFA key. */
export const IDENTITY_CENTER_ROLE = /^arn:aws:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\//;

const operatorRules: Rule[] = [
  {
    reads: ["retention.quarantinePayloadDays", "retention.quarantineDays"],
    check: (env) =>
      env.retention.quarantinePayloadDays <= env.retention.quarantineDays
        ? []
        : [problem("retention.quarantinePayloadDays", env.retention.quarantinePayloadDays, `must not exceed retention.quarantineDays (${env.retention.quarantineDays}): raw payloads are kept only as long as a replay needs them`)],
  },
  {
    reads: ["operators.quarantine", "account.id"],
    check: (env) =>
      (env.operators.quarantine?.principalArnPatterns ?? []).flatMap((pattern, i) =>
        pattern.startsWith(`arn:aws:iam::${env.account.id}:`) ? [] : [problem(`operators.quarantine.principalArnPatterns[${i}]`, pattern, `must be a principal of this environment's account ${env.account.id}`)],
      ),
  },
  {
    reads: ["operators.quarantine"],
    check: (env) => {
      const operators = env.operators.quarantine;
      if (!operators || operators.requireMfa) return [];
      const others = operators.principalArnPatterns.filter((p) => !IDENTITY_CENTER_ROLE.test(p));
      return others.length ? [problem("operators.quarantine.requireMfa", false, `may be false only when every principal is an IAM Identity Center role (role/aws-reserved/sso.amazonaws.com/...); ${others.join(", ")} is not: set true`)] : [];
    },
  },
];

/** Rules that relate fields of one environment, or that AWS applies to a field's value. */
export const ENVIRONMENT_RULES: readonly Rule[] = [
  ...operatorRules,
  {
    reads: ["streaming.maxWorkers", "streaming.workers"],
    check: ({ streaming: s }) =>
      s.maxWorkers < s.workers ? [problem("streaming.maxWorkers", s.maxWorkers, `must be >= streaming.workers (${s.workers}); auto scaling starts from workers`)] : [],
  },
  {
    reads: ["warehouse.baseCapacityRpu", "account.region"],
    check: ({ warehouse: w, account }) => {
      const message = baseCapacityProblem(w.baseCapacityRpu, account.region);
      return message ? [problem("warehouse.baseCapacityRpu", w.baseCapacityRpu, message)] : [];
    },
  },
  {
    reads: ["warehouse.maxCapacityRpu", "warehouse.baseCapacityRpu"],
    check: ({ warehouse: w }) =>
      w.maxCapacityRpu < w.baseCapacityRpu ? [problem("warehouse.maxCapacityRpu", w.maxCapacityRpu, `must be >= warehouse.baseCapacityRpu (${w.baseCapacityRpu})`)] : [],
  },
  {
    reads: ["warehouse.usageLimits"],
    check: ({ warehouse: w }) =>
      w.usageLimits.flatMap((limit, i) => {
        const first = w.usageLimits.findIndex((l) => l.period === limit.period);
        return first < i ? [problem(`warehouse.usageLimits[${i}].period`, limit.period, `repeats usageLimits[${first}]; Redshift Serverless allows one limit per period: merge them or use another period (daily, weekly, monthly)`)] : [];
      }),
  },
  {
    // A deactivated workgroup refuses every load: always-on streaming jobs would fail in a loop.
    reads: ["warehouse.usageLimits", "streaming.jobs"],
    check: ({ warehouse: w, streaming }) =>
      streaming.jobs !== "always-on"
        ? []
        : w.usageLimits.flatMap((limit, i) =>
            limit.breachAction === "deactivate"
              ? [problem(`warehouse.usageLimits[${i}].breachAction`, "deactivate", 'must be "log" or "emit-metric" while streaming.jobs is "always-on" (a deactivated workgroup makes the streaming jobs fail in a loop)')]
              : [],
          ),
  },
  {
    reads: ["bi.createAccountSubscription", "bi.enabled"],
    check: ({ bi }) => (bi.createAccountSubscription && !bi.enabled ? [problem("bi.createAccountSubscription", true, "needs bi.enabled = true; a subscription without BI resources only costs money")] : []),
  },
  {
    reads: ["bi.readerGroup", "bi.authorGroup"],
    check: ({ bi }) => (bi.readerGroup === bi.authorGroup ? [problem("bi.readerGroup", bi.readerGroup, "equals bi.authorGroup; readers must be a group of their own, or they get the authors' owner permissions")] : []),
  },
  {
    reads: ["state.region", "account.region"],
    check: ({ state, account }) =>
      state.region !== account.region
        ? [problem("state.region", state.region, `must be account.region (${account.region}): the bootstrap stack creates the state bucket there, and the backend must look for it there`)]
        : [],
  },
  {
    reads: ["network.availabilityZones", "account.region"],
    check: ({ network, account }) => {
      const zones = availabilityZonesOf(account.region);
      return network.availabilityZones > zones.length
        ? [problem("network.availabilityZones", network.availabilityZones, `region ${account.region} offers ${zones.length} zones every account has (${zones.join(", ")}); choose at most ${zones.length}`)]
        : [];
    },
  },
  {
    reads: ["tags.extra"],
    check: ({ tags }) => {
      const extra = Object.entries(tags.extra ?? {});
      const problems = extra.flatMap(([key, value]) => [
        ...((REQUIRED_TAG_KEYS as readonly string[]).includes(key)
          ? [problem(`tags.extra.${key}`, value, `"${key}" is set by the platform (${REQUIRED_TAG_KEYS.join(", ")}); extra tags cannot override it${key === "owner" || key === "cost-center" ? `: set tags.${key === "owner" ? "owner" : "costCenter"} instead` : ""}`)]
          : []),
        ...tagProblems(key, value).map((message) => problem(`tags.extra.${key}`, value, message)),
      ]);
      if (extra.length > MAX_EXTRA_TAGS) problems.push(problem("tags.extra", `${extra.length} tags`, `at most ${MAX_EXTRA_TAGS}: AWS allows 50 tags per resource, and the platform sets ${REQUIRED_TAG_KEYS.length} plus a few of a resource's own`));
      return problems;
    },
  },
  {
    reads: ["tags.owner", "tags.costCenter"],
    check: ({ tags }) => [
      ...tagProblems("owner", tags.owner).map((message) => problem("tags.owner", tags.owner, message)),
      ...tagProblems("cost-center", tags.costCenter).map((message) => problem("tags.costCenter", tags.costCenter, message)),
    ],
  },
  {
    reads: ["tier", "protection.preventDestroy", "protection.forceDestroy"],
    check: ({ tier, protection: p }) => {
      if (tier !== "production") return p.preventDestroy && p.forceDestroy ? [problem("protection.forceDestroy", true, "contradicts protection.preventDestroy = true; choose one")] : [];
      return [
        ...(p.preventDestroy ? [] : [problem("protection.preventDestroy", false, "must be true in a production environment: stateful resources are protected from destroy")]),
        ...(p.forceDestroy ? [problem("protection.forceDestroy", true, "must be false in a production environment: buckets are never emptied by terraform")] : []),
      ];
    },
  },
  productionMinimum("retention.logDays", PRODUCTION_MINIMUMS.logDays, (env) => env.retention.logDays),
  productionMinimum("retention.streamHours", PRODUCTION_MINIMUMS.streamHours, (env) => env.retention.streamHours),
  productionMinimum("retention.noncurrentVersionDays", PRODUCTION_MINIMUMS.noncurrentVersionDays, (env) => env.retention.noncurrentVersionDays),
  productionMinimum("protection.kmsDeletionWindowDays", PRODUCTION_MINIMUMS.kmsDeletionWindowDays, (env) => env.protection.kmsDeletionWindowDays),
  {
    // The policy suite's SFN-LOG, decided by configuration alone: checked here before synthesis too.
    reads: ["tier", "observability.stepFunctionsIncludeExecutionData"],
    check: (env) =>
      production(env) && env.observability.stepFunctionsIncludeExecutionData
        ? [problem("observability.stepFunctionsIncludeExecutionData", true, "must be false in a production environment: execution data holds record values, which must not reach the logs (policy SFN-LOG)")]
        : [],
  },
];

/**
 * What exists once per account (or per account and region) although every environment's stacks
 * describe it: two environments that both create it would fight over one resource.
 */
const SHARED_RESOURCES: readonly {
  readonly what: string;
  readonly reads: readonly string[];
  readonly scope: (env: Environment) => string;
  readonly creates: (env: Environment) => boolean;
  readonly path: string;
  /** Why one environment of the scope must create it; unset when none may. */
  readonly neededBecause?: string;
}[] = [
  {
    what: "the GitHub OIDC provider (one per account and URL)",
    reads: ["account.id", "ci.createOidcProvider"],
    scope: (env) => `account ${env.account.id}`,
    creates: (env) => env.ci.createOidcProvider,
    neededBecause: "every environment's CI roles trust it",
    path: "ci.createOidcProvider",
  },
  {
    what: "the QuickSight account subscription (one per account)",
    reads: ["account.id", "bi.createAccountSubscription"],
    scope: (env) => `account ${env.account.id}`,
    creates: (env) => env.bi.createAccountSubscription,
    path: "bi.createAccountSubscription",
  },
  {
    what: "the Glue Data Catalog encryption settings (one per account and region; every platform stack manages them)",
    reads: ["account.id", "account.region"],
    scope: (env) => `account ${env.account.id} in ${env.account.region}`,
    creates: () => true,
    path: "account.region",
  },
];

/** Rules that relate environments to each other: names, state, and what exists once per account. */
export function acrossEnvironmentProblems(checked: readonly CheckedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const readable = (reads: readonly string[]) => checked.filter((c) => readsAccepted(c.refused, reads));
  const unique = <K>(reads: readonly string[], key: (env: Environment) => K, path: string, message: (owner: string, value: K) => string) => {
    const owners = new Map<K, string>();
    for (const { label, value } of readable(reads)) {
      const k = key(value);
      const owner = owners.get(k);
      if (owner !== undefined) problems.push(problem(`${label}.${path}`, k, message(owner, k)));
      else owners.set(k, label);
    }
  };
  unique(["name"], (env) => env.name, "name", (owner) => `is also the name of environment "${owner}"; names must be unique`);
  unique(["state.bucket"], (env) => env.state.bucket, "state.bucket", (owner) => `is also the state bucket of "${owner}"; each environment's bootstrap stack creates its own, and S3 bucket names are global`);
  for (const shared of SHARED_RESOURCES) {
    const byScope = new Map<string, CheckedEnvironment[]>();
    for (const c of readable(shared.reads)) byScope.set(shared.scope(c.value), [...(byScope.get(shared.scope(c.value)) ?? []), c]);
    for (const [scope, envs] of byScope) {
      const creators = envs.filter((c) => shared.creates(c.value));
      for (const extra of creators.slice(1)) {
        problems.push(problem(`${extra.label}.${shared.path}`, valueAt(extra.value, shared.path.split(".")), `environment "${creators[0].label}" already creates ${shared.what} for ${scope}; only one environment may`));
      }
      if (shared.neededBecause && creators.length === 0) {
        for (const c of envs) problems.push(problem(`${c.label}.${shared.path}`, false, `no environment creates ${shared.what} for ${scope}, but ${shared.neededBecause}: set it true in exactly one environment of that account`));
      }
    }
  }
  return problems;
}

