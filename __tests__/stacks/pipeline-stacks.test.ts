/**
 * The layout of stacks and states per environment (docs/stacks.md): a core stack that knows no
 * pipeline, and one stack per pipeline with its own state, at most PIPELINE_STACK_RESOURCE_BUDGET
 * resources, taking what it needs from its core through stacks/core-interface.ts.
 */
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { ENVIRONMENT_CONFIGS, type Environment } from "../../environments";
import { PIPELINE_DEFINITIONS, loadPipelines } from "../../pipelines";
import type { TerraformJson } from "../../policies";
import { CORE_GENERATED_IDS, CoreInterface } from "../../stacks/core-interface";
import { PIPELINE_STACK_RESOURCE_BUDGET, PipelineStack } from "../../stacks/pipeline-stack";
import { pipelineStackName, pipelineStateKey, platformStackName } from "../../stacks/providers";
import { generatedPipelines } from "../../tools/scaffold/generated-pipelines";
import { folderDigest } from "../../tools/stacks/affected";
import { readManifest, readStackFile, synthesizedStacks } from "../../tools/stacks/synthesized";
import { publishedIds } from "../helpers/environment-view";
import { synthAll, synthesizeConfiguration } from "../helpers/synth";


/** The stacks (folders: their JSON and their assets) that differ between two syntheses, of those present in both. */
function changedStacks(before: string, after: string, names: readonly string[]): string[] {
  return names.filter((name) => JSON.stringify(folderDigest(join(before, "stacks", name))) !== JSON.stringify(folderDigest(join(after, "stacks", name))));
}

const NAMES = ENVIRONMENT_CONFIGS.map((e) => e.name);
const [added] = generatedPipelines(1);
const samples = synthesizeConfiguration(PIPELINE_DEFINITIONS);
const withOneMore = synthesizeConfiguration([...PIPELINE_DEFINITIONS, added]);
const coreStacks = ENVIRONMENT_CONFIGS.flatMap((e) => [platformStackName(e), `${platformStackName(e)}-bootstrap`]);

describe("adding a pipeline", () => {
  it("leaves every core stack and every bootstrap stack byte-identical, assets included", () => {
    expect(changedStacks(samples, withOneMore, coreStacks)).toEqual([]);
  });

  it("leaves every other pipeline's stack byte-identical too, and adds exactly its own stack per environment", () => {
    const before = synthesizedStacks(samples, NAMES).map((s) => s.name);
    const after = synthesizedStacks(withOneMore, NAMES).map((s) => s.name);
    expect(after.filter((name) => !before.includes(name)).sort()).toEqual(ENVIRONMENT_CONFIGS.map((e) => pipelineStackName(e, added.name)).sort());
    expect(changedStacks(samples, withOneMore, before)).toEqual([]);
  });

  it("the comparison can fail: a change to one environment changes exactly that environment's core (and nothing of the others)", () => {
    const environments = structuredClone([...ENVIRONMENT_CONFIGS]) as Environment[];
    const prod = environments.find((e) => e.name === "prod")! as { alarms: { emails: string[] } };
    prod.alarms.emails = [...prod.alarms.emails, "oncall-2@example.com"];
    const changed = synthesizeConfiguration(PIPELINE_DEFINITIONS, environments);
    expect(changedStacks(samples, changed, coreStacks)).toEqual(["data-platform-prod"]);
  });
});

describe("each pipeline's stack", () => {
  const stacks = synthesizedStacks(withOneMore, NAMES);
  const manifest = readManifest(withOneMore);

  it("has its own state key beside its core's, in the environment's bucket, locked", () => {
    const keys = new Set<string>();
    for (const env of ENVIRONMENT_CONFIGS) {
      for (const stack of stacks.filter((s) => s.environment === env.name && s.kind !== "bootstrap")) {
        const backend = (readStackFile<TerraformJson>(stack).terraform as any).backend.s3;
        expect(backend).toMatchObject({ bucket: env.state.bucket, region: env.state.region, encrypt: true, use_lockfile: true });
        keys.add(`${backend.bucket}/${backend.key}`);
        if (stack.kind === "core") expect(backend.key).toBe(env.state.key);
      }
      for (const pipeline of [...PIPELINE_DEFINITIONS, added]) {
        const backend = (readStackFile<TerraformJson>(stacks.find((s) => s.name === pipelineStackName(env, pipeline.name))!).terraform as any).backend.s3;
        expect(backend.key).toBe(pipelineStateKey(env, pipeline.name));
      }
    }
    expect(keys.size).toBe(stacks.filter((s) => s.kind !== "bootstrap").length);
  });

  it("is applied after its core: cdktf records the dependency, and nothing depends on a pipeline stack", () => {
    for (const stack of stacks.filter((s) => s.kind === "pipeline")) expect(stack.dependencies).toEqual([platformStackName({ name: stack.environment })]);
    const dependedOn = Object.values(manifest.stacks).flatMap((s) => s.dependencies ?? []);
    expect(dependedOn.filter((name) => stacks.find((s) => s.name === name)?.kind === "pipeline")).toEqual([]);
  });

  it(`holds at most ${PIPELINE_STACK_RESOURCE_BUDGET} resources, in every environment, samples and scaffolded alike`, () => {
    const counts = stacks
      .filter((s) => s.kind === "pipeline")
      .map((s) => [s.name, Object.values(readStackFile<TerraformJson>(s).resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0)] as const);
    expect(counts.length).toBe(NAMES.length * (PIPELINE_DEFINITIONS.length + 1));
    for (const [name, count] of counts) expect([name, count <= PIPELINE_STACK_RESOURCE_BUDGET]).toEqual([name, true]);
  });
});

/**
 * What a pipeline stack takes from its core, checked against the core's synthesized JSON: every
 * name it computes names a resource of the core, and every generated id it reads is one the core
 * writes into its parameter. Returns what does not hold.
 */
function interfaceProblems(core: TerraformJson, iface: CoreInterface): string[] {
  const problems: string[] = [];
  const named = (type: string, attribute: string, value: string, what: string) => {
    const found = Object.values(core.resource?.[type] ?? {}).some((config) => config[attribute] === value);
    if (!found) problems.push(`${what}: no ${type} of the core has ${attribute} ${JSON.stringify(value)}`);
  };
  const arnNamed = (type: string, arn: string, what: string) => named(type, "name", arn.split(/[:/]/).pop()!, what);
  for (const [zone, bucket] of Object.entries(iface.buckets)) named("aws_s3_bucket", "bucket", bucket, `bucket ${zone}`);
  arnNamed("aws_sns_topic", iface.alarmTopicArn, "alarm topic");
  named("aws_glue_security_configuration", "name", iface.streaming.securityConfigurationName, "security configuration");
  named("aws_secretsmanager_secret", "name", iface.streaming.pepperSecretName, "pepper secret");
  for (const code of [...Object.values(iface.streaming.code.scripts), iface.streaming.code.library]) named("aws_s3_object", "key", code.key, "shipped code");
  named("aws_redshiftserverless_workgroup", "workgroup_name", iface.warehouse.workgroupName, "workgroup");
  named("aws_redshiftserverless_namespace", "db_name", iface.warehouse.database, "database");
  named("aws_secretsmanager_secret", "name", iface.warehouse.etlSecretName, "ETL writer secret");
  named("aws_glue_connection", "name", iface.warehouse.glueConnectionName, "Glue connection");
  named("aws_glue_catalog_database", "name", iface.catalog.curatedDatabaseName, "curated database");
  const shared = iface.catalog.shared;
  for (const [what, arn] of [["workflow role", shared.workflowRoleArn], ["rule role", shared.ruleRoleArn], ["schedule role", shared.scheduleRoleArn]]) arnNamed("aws_iam_role", arn, what);
  for (const [what, arn] of [["rule queue", shared.ruleDeadLetterQueueArn], ["schedule queue", shared.scheduleDeadLetterQueueArn]]) arnNamed("aws_sqs_queue", arn, what);
  named("aws_cloudwatch_log_group", "name", shared.workflowLogGroupName, "workflow log group");
  named("aws_athena_workgroup", "name", iface.query.workgroupName, "Athena workgroup");
  if (iface.bi) named("aws_quicksight_data_source", "data_source_id", iface.bi.dataSourceArn.split("/").pop()!, "QuickSight data source");
  const written = [...publishedIds(core).keys()].sort();
  if (JSON.stringify(written) !== JSON.stringify([...CORE_GENERATED_IDS].sort())) problems.push(`the core writes ${written.join(", ")}; pipeline stacks read ${[...CORE_GENERATED_IDS].sort().join(", ")}`);
  return problems;
}

describe("the interface between a core and its pipeline stacks", () => {
  const interfaceOf = (environment: Environment) => new CoreInterface(new TerraformStack(Testing.app(), "probe"), "core", environment);

  it.each(synthAll().map((s) => [s.environment.name, s] as const))("%s: every name a pipeline stack computes names a resource of its core; every id it reads, the core writes", (_name, s) => {
    expect(interfaceProblems(s.core, interfaceOf(s.environment))).toEqual([]);
  });

  it("the check can fail: a core that renames a shared resource, or stops writing an id, is caught", () => {
    const { core, environment } = synthAll().find((s) => s.environment.name === "stage")!;
    const broken = structuredClone(core) as TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> };
    for (const configuration of Object.values(broken.resource.aws_glue_security_configuration)) configuration.name = "dp-stage-glue-v2";
    const [parameter] = Object.values(broken.resource.aws_ssm_parameter);
    parameter.value = String(parameter.value).replace(/, "warehouse_namespace_id" = [^,}]+/, "");
    const problems = interfaceProblems(broken, interfaceOf(environment)).join("\n");
    expect(problems).toMatch(/security configuration: no aws_glue_security_configuration of the core has name "dp-stage-glue"/);
    expect(problems).toMatch(/pipeline stacks read .*warehouse_namespace_id/);
  });
});

describe("a pipeline stack's own checks", () => {
  it("refuses settings Kinesis or Glue would refuse, as the streaming module does for the pipelines it builds", () => {
    const { environment } = synthAll().find((s) => s.environment.name === "dev")!;
    const [pipeline] = loadPipelines(NAMES);
    // Validation refuses this first; the stack refuses it too when given an environment nobody validated.
    const short = { ...environment, retention: { ...environment.retention, streamHours: 12 } };
    expect(() => new PipelineStack(Testing.app(), "p", { environment: short, pipeline })).toThrow(/settings\.streamRetentionHours: 12 must be 24-8760 \(Kinesis limits\)/);
  });
});
