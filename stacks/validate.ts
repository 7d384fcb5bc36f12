/**
 * The whole configuration validated at once, before any construct exists: environments, pipelines,
 * and what only their combination decides (resource names, construct ids, per-environment
 * overrides, the BI wiring). Every stage runs whatever the earlier ones found, and the report lists
 * every problem grouped by the file to change.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS, Environment } from "../environments";
import { CheckedEnvironment, checkEnvironments } from "../environments/validate";
import { NAME_RULES, nameProblem } from "../lib/naming";
import { ConfigProblem, ConfigRule, ConfigValidationError, RefusedPath, problem, readsAccepted, runRules } from "../lib/validation";
import { CompiledPipeline, PIPELINE_DEFINITIONS } from "../pipelines";
import { compilePipeline } from "../pipelines/compile";
import { REFERENCE_DATA_DIR } from "../pipelines/reference-files";
import type { PipelineDefinition } from "../pipelines/types";
import { CheckedPipeline, checkPipelines, publishedRelation, resourceSpelling } from "../pipelines/validate";
import { PROD_MIN_STREAM_RETENTION_HOURS } from "../policies/rules/streaming";
import { SAMPLE_DASHBOARD } from "./bi-wiring";
import { DerivedName, pipelineResourceNames } from "./derived-names";
import { BOOTSTRAP_SUFFIX } from "./providers";

const ROOT = join(__dirname, "..");

export interface ConfigurationInput {
  /** Environment configurations, as `environments/index.ts` lists them. */
  readonly environments: readonly unknown[];
  /** Pipeline definitions, as `pipelines/index.ts` lists them. */
  readonly pipelines: readonly unknown[];
  /** Where bundled reference files are read from. @default pipelines/reference-data */
  readonly referenceDir?: string;
}

/** Configuration that passed every check: what the stacks are built from. */
export interface Configuration {
  readonly environments: Environment[];
  readonly pipelines: CompiledPipeline[];
}

/** Validates everything together and compiles the pipelines; throws one error listing every problem. */
export function validateConfiguration(input: ConfigurationInput): Configuration {
  const environments = checkEnvironments(input.environments);
  // Overrides may name any environment whose name the schema accepted, even one with other problems.
  const environmentNames = environments.checked.filter((e) => readsAccepted(e.refused, ["name"])).map((e) => e.value.name);
  const pipelines = checkPipelines(input.pipelines, { environmentNames, referenceDir: input.referenceDir });
  const problems = [...environments.problems, ...pipelines.problems, ...combinationProblems(environments.checked, pipelines.checked)];
  if (problems.length > 0) throw new ConfigValidationError("Invalid configuration", problems.map((p) => ({ ...p, file: p.file ?? sourceFile(p.path) })));
  return {
    environments: environments.checked.map((e) => e.value),
    pipelines: pipelines.checked.map((p) => compilePipeline(p.value, input.referenceDir ?? REFERENCE_DATA_DIR)),
  };
}

/** This repository's environments and pipelines, validated together. */
export function loadConfiguration(): Configuration {
  return validateConfiguration({ environments: ENVIRONMENT_CONFIGS, pipelines: PIPELINE_DEFINITIONS });
}

/**
 * The file a problem's path points into, by the layout's conventions: `prod.…` is
 * `environments/prod.ts`, `pipelines.session_checkins.…` is `pipelines/session-checkins.ts`.
 */
export function sourceFile(path: string): string | undefined {
  const pipeline = /^pipelines\.([\w-]+)/.exec(path)?.[1];
  const environment = /^([a-z][a-z0-9]*)(?:[.[]|$)/.exec(path)?.[1];
  const file = pipeline ? `pipelines/${pipeline.replace(/_/g, "-")}.ts` : environment ? `environments/${environment}.ts` : undefined;
  return file && existsSync(join(ROOT, file)) ? file : undefined;
}

/** One pipeline in one environment, as the combination rules read them. */
interface Pairing {
  readonly environment: Environment;
  readonly pipeline: PipelineDefinition;
}

/**
 * Pipeline names whose stack (`data-platform-<env>-<pipeline>`) would be another stack of the
 * environment. Within its own stack a pipeline's name meets no other construct id.
 */
export const RESERVED_PIPELINE_NAMES: Readonly<Record<string, string>> = {
  [BOOTSTRAP_SUFFIX]: `its stack would be the environment's bootstrap stack (data-platform-<env>-${BOOTSTRAP_SUFFIX})`,
};

const enabledIn = ({ environment, pipeline }: Pairing): boolean => pipeline.environments?.[environment.name]?.enabled !== false;

/** Every resource name the pipeline's resources get in the environment. */
const derivedNames = ({ environment, pipeline }: Pairing): DerivedName[] =>
  pipelineResourceNames(environment, { name: pipeline.name, views: (pipeline.warehouse?.materializedViews ?? []).map((v) => v.name), publishes: pipeline.bi?.publish === true });

/** The longest pipeline name that still fits `derived`'s kind, given how long the pipeline's part of it is now. */
function longestFitting(derived: DerivedName, pipeline: string): number {
  return NAME_RULES[derived.kind].maxLength - (derived.name.length - resourceSpelling(pipeline).length);
}

/** Rules over one pipeline in one environment: what only their combination decides. */
const PAIRING_RULES: readonly ConfigRule<Pairing>[] = [
  {
    reads: ["environment.name", "environment.account", "environment.bi.enabled", "pipeline.name", "pipeline.environments", "pipeline.warehouse.materializedViews.*.name", "pipeline.bi.publish"],
    check: (pairing) => {
      if (!enabledIn(pairing)) return [];
      const { environment: env, pipeline } = pairing;
      const refused = derivedNames(pairing).filter((n) => nameProblem(n.kind, n.name));
      if (refused.length === 0) return [];
      // The tightest name decides how long the pipeline's name may be here.
      const worst = refused.reduce((a, b) => (longestFitting(a, pipeline.name) <= longestFitting(b, pipeline.name) ? a : b));
      const fits = longestFitting(worst, pipeline.name);
      const advice = worst.name.length > NAME_RULES[worst.kind].maxLength ? `: with environment "${env.name}", pipeline names of at most ${fits} characters fit` : "";
      return [problem("pipeline.name", pipeline.name, `in environment "${env.name}" makes ${refused.length} resource name(s) AWS refuses, e.g. ${nameProblem(worst.kind, worst.name)}${advice}`)];
    },
  },
  {
    // The policy suite's KDS-RET, decided by configuration alone: an override must keep prod's replay window.
    reads: ["environment.name", "environment.tier", "pipeline.environments"],
    check: ({ environment: env, pipeline }) => {
      const hours = pipeline.environments?.[env.name]?.streamRetentionHours;
      return env.tier === "production" && hours !== undefined && hours < PROD_MIN_STREAM_RETENTION_HOURS
        ? [problem(`pipeline.environments.${env.name}.streamRetentionHours`, hours, `must be at least ${PROD_MIN_STREAM_RETENTION_HOURS} in the production environment "${env.name}" (policy KDS-RET: a week of replay)`)]
        : [];
    },
  },
  {
    // stacks/bi-wiring.ts builds the sample dashboard over this data set in every environment with BI on.
    reads: ["environment.bi.enabled", "environment.name", "pipeline"],
    check: (pairing) => (pairing.environment.bi.enabled && enabledIn(pairing) && pairing.pipeline.name === SAMPLE_DASHBOARD.dataSet ? sampleDashboardProblems(pairing.pipeline) : []),
  },
];

/** What the sample dashboard needs from its data set: the columns it shows, of the types its visuals take. */
function sampleDashboardProblems(def: PipelineDefinition): ConfigProblem[] {
  if (!def.bi?.publish) return [];
  const relation = publishedRelation(def);
  if (!relation) return [];
  const path = def.bi.source && def.bi.source !== "table" ? "pipeline.bi.source" : "pipeline.bi.publish";
  const typeOf = (column: string) => relation.columns.find((c) => c.name === column)?.type;
  const needs: [string, string, (type: string) => boolean, string][] = [
    ["category", SAMPLE_DASHBOARD.category, (t) => t === "string", "a string column"],
    ["filter", SAMPLE_DASHBOARD.filter, (t) => t === "string", "a string column"],
    ["measure", SAMPLE_DASHBOARD.measure, (t) => /^(int|long|double|decimal)/.test(t), "a numeric column"],
    ["map", SAMPLE_DASHBOARD.geography, () => true, "a column"],
  ];
  const problems = needs.flatMap(([role, column, fits, what]) => {
    const type = typeOf(column);
    if (type === undefined) return [problem(path, def.bi?.source ?? "table", `has no column "${column}", which the sample dashboard's ${role} shows (${what}); its columns: ${relation.columns.map((c) => c.name).join(", ")}`)];
    return fits(type) ? [] : [problem(path, def.bi?.source ?? "table", `has "${column}" as ${type}; the sample dashboard's ${role} needs ${what}`)];
  });
  if (typeOf(SAMPLE_DASHBOARD.geography) !== undefined && !(def.bi.geographic ?? []).some((g) => g.column === SAMPLE_DASHBOARD.geography)) {
    problems.push(problem("pipeline.bi.geographic", def.bi.geographic ?? [], `gives "${SAMPLE_DASHBOARD.geography}" no geographic role; the sample dashboard's filled map needs one, e.g. { column: "${SAMPLE_DASHBOARD.geography}", role: "COUNTRY" }`));
  }
  return problems;
}

function combinationProblems(environments: readonly CheckedEnvironment[], pipelines: readonly CheckedPipeline[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const p of pipelines) {
    if (!readsAccepted(p.refused, ["name"])) continue;
    const reserved = RESERVED_PIPELINE_NAMES[resourceSpelling(p.value.name)];
    if (reserved) problems.push(problem(`${p.label}.name`, p.value.name, `is reserved: ${reserved}; choose another name`));
  }
  for (const env of environments) {
    for (const p of pipelines) {
      const refused: RefusedPath[] = [...env.refused.map((r) => ["environment", ...r]), ...p.refused.map((r) => ["pipeline", ...r])];
      const found = runRules<Pairing>({ environment: env.value, pipeline: p.value }, refused, PAIRING_RULES);
      problems.push(...found.map((f) => ({ ...f, path: f.path.replace(/^pipeline\b/, p.label).replace(/^environment\b/, env.label) })));
    }
    problems.push(...nameCollisions(env, pipelines));
  }
  return problems;
}

/** Two pipelines whose derived names coincide in one environment (names of one kind share a namespace). */
function nameCollisions(env: CheckedEnvironment, pipelines: readonly CheckedPipeline[]): ConfigProblem[] {
  if (!readsAccepted(env.refused, ["name", "account", "bi.enabled"])) return [];
  const owners = new Map<string, string>();
  const spellings = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const p of pipelines.filter((c) => readsAccepted(c.refused, ["name", "warehouse.materializedViews.*.name", "bi.publish", "environments"]))) {
    const pairing = { environment: env.value, pipeline: p.value };
    // Names that differ only in underscores are reported once, by pipelines/validate.ts.
    if (!enabledIn(pairing) || spellings.has(resourceSpelling(p.value.name))) continue;
    spellings.add(resourceSpelling(p.value.name));
    const names = derivedNames(pairing).map((n) => ({ ...n, key: `${n.kind}:${n.name}` }));
    const clash = names.find((n) => owners.has(n.key));
    if (clash) {
      problems.push(problem(`${p.label}.name`, p.value.name, `in environment "${env.value.name}" makes the ${clash.kind} name "${clash.name}", which pipeline "${owners.get(clash.key)}" makes too; choose another pipeline or view name`));
      continue;
    }
    for (const n of names) owners.set(n.key, p.value.name);
  }
  return problems;
}
