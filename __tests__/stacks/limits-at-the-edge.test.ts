/**
 * Every documented limit at its edge: an environment and a pipeline that use each one to the full
 * synthesize without a construct throwing, and one step past each is refused by validation, with
 * the path, before any construct exists. Nothing here is found first by a module.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { NAME_RULES } from "../../lib/naming";
import { MAX_EXTRA_TAGS, TAG_LIMITS } from "../../lib/tags";
import { ConfigValidationError } from "../../lib/validation";
import { buildApp } from "../../main";
import { MAX_COLUMN_DESCRIPTION } from "../../modules/bi/data-set-model";
import { MAX_LOAD_INTERVAL_MINUTES } from "../../modules/streaming/job-arguments";
import { MAX_DATA_SET_NAME, MAX_IDENTIFIER, MAX_PIPELINE_NAME, MAX_PUBLISHED_RELATION } from "../../pipelines/validate";
import { pipelineStackName } from "../../stacks/providers";
import type { TerraformJson } from "../../policies";
import { NAMED_RESOURCES } from "../../policies/rules/everything";
import { validateConfiguration } from "../../stacks/validate";

const x = (length: number, first = "x") => first + "x".repeat(length - 1);
const HASH_NOTE = " (SHA-256 with pepper)";

/** The longest environment name, the widest region spelling, the most zones, the smallest network, the most tags. */
function edgeEnvironments(): any[] {
  const [, , prod] = structuredClone([...ENVIRONMENT_CONFIGS]) as any[];
  const wide = {
    ...prod,
    name: "sandbox1",
    account: { id: "123456789012", region: "us-east-1" },
    state: { ...prod.state, bucket: `dp-terraform-state-123456789012`, key: "data-platform/sandbox1.tfstate", region: "us-east-1", locking: { kind: "dynamodb", table: x(255, "t") } },
    network: { cidr: "10.50.0.0/24", availabilityZones: 6, natGateway: true },
    tags: {
      owner: x(TAG_LIMITS.valueLength, "o"),
      costCenter: x(32, "C"),
      extra: Object.fromEntries(Array.from({ length: MAX_EXTRA_TAGS }, (_, i) => [`${i}`.padStart(TAG_LIMITS.keyLength, "k"), x(TAG_LIMITS.valueLength, "v")])),
    },
    retention: { logDays: 3653, streamHours: 8760, rawDays: 36500, quarantineDays: 1, quarantinePayloadDays: 1, tempDays: 1, accessLogDays: 1, athenaResultsDays: 1, noncurrentVersionDays: 30, intelligentTieringAfterDays: 0 },
    protection: { preventDestroy: true, forceDestroy: false, kmsDeletionWindowDays: 30 },
    operators: {},
    streaming: { capacityMode: "PROVISIONED", shards: 500, workerType: "G.8X", batchWorkerType: "G.8X", workers: 299, maxWorkers: 299, windowSeconds: 900, batchSchedule: "cron(0/5 * * * ? *)", referenceRefreshMinutes: 1440, jobs: "on-demand" },
    warehouse: {
      baseCapacityRpu: 1024,
      maxCapacityRpu: 1024,
      usageLimits: [
        { period: "daily", rpuHours: 1, breachAction: "deactivate" },
        { period: "weekly", rpuHours: 1, breachAction: "emit-metric" },
        { period: "monthly", rpuHours: 1, breachAction: "log" },
      ],
      usageAlarmPercent: 100,
      snapshotRetentionDays: 3653,
      loadIntervalMinutes: MAX_LOAD_INTERVAL_MINUTES,
    },
    catalog: { catchUpSchedule: "rate(1 minute)", crawlerPollSeconds: 600, crawlerMaxPolls: 200 },
    athena: { bytesScannedCutoffPerQuery: 10_485_760 },
    bi: { enabled: true, createAccountSubscription: true, authorGroup: x(64, "a"), readerGroup: x(64, "r"), notificationEmail: "bi@example.com" },
    ci: { repository: "acme-data/data-platform", createOidcProvider: true },
    observability: { stepFunctionsIncludeExecutionData: false },
  };
  // The longest region names go into bucket names; the smallest key deletion window.
  const narrow = {
    ...structuredClone(wide),
    name: "sandbox2",
    tier: "development",
    account: { id: "210987654321", region: "ap-southeast-7" },
    state: { ...wide.state, bucket: "dp-terraform-state-210987654321", key: "data-platform/sandbox2.tfstate", region: "ap-southeast-7", locking: { kind: "lockfile" } },
    network: { cidr: "10.60.0.0/16", availabilityZones: 3, natGateway: false },
    protection: { preventDestroy: false, forceDestroy: true, kmsDeletionWindowDays: 7 },
    streaming: { ...wide.streaming, capacityMode: "ON_DEMAND", shards: 1, workerType: "G.025X", workers: 2, maxWorkers: 2, windowSeconds: 10, referenceRefreshMinutes: 1 },
    warehouse: { ...wide.warehouse, baseCapacityRpu: 8, maxCapacityRpu: 8, loadIntervalMinutes: 0 },
    retention: { ...wide.retention, logDays: 1, streamHours: 24 },
    bi: { ...wide.bi, createAccountSubscription: true },
  };
  return [wide, narrow];
}

/**
 * The longest pipeline name: the pipelines' own limit, which an 8-letter environment still fits
 * (`dp-sandbox1-<name>-new-objects` is an EventBridge rule name, 64 at most; its longest IAM role,
 * `dp-sandbox1-<name>-streaming`, is shorter since the catalog's roles are the core's).
 */
const PIPELINE_NAME = x(MAX_PIPELINE_NAME, "p");
/** The longest view name whose saved Athena query (`dp-sandbox1-<pipeline>-<view>`, 128) still fits. */
const VIEW_NAME = x(NAME_RULES.generic.maxLength - "dp-sandbox1-".length - PIPELINE_NAME.length - 1, "v");

function edgePipeline(): any {
  const column = (name: string, type: string, extra: object = {}) => ({ name, type, description: x(MAX_COLUMN_DESCRIPTION, "d"), ...extra });
  return {
    name: PIPELINE_NAME,
    owner: x(40, "o"),
    description: x(MAX_DATA_SET_NAME, "D"),
    schema: {
      fields: [
        column("event_id", "string", { required: true, maxLength: 65535 }),
        column("event_time", "timestamp", { required: true }),
        column(x(MAX_IDENTIFIER, "c"), "decimal(38,38)"),
        { name: "contact", type: "string", maxLength: 1, description: x(MAX_COLUMN_DESCRIPTION - HASH_NOTE.length, "d") },
        column("amount", "long"),
      ],
      eventId: "event_id",
      eventTime: "event_time",
      maxRecordBytes: 1_048_576,
    },
    sensitive: { contact: { classification: "email", lake: "hash", warehouse: "hash" } },
    transform: {
      sql: "WITH e AS (SELECT * FROM events) SELECT e.*, extract(hour FROM e.event_time) AS event_hour, trim(BOTH FROM e.contact) AS contact_clean FROM e",
      columns: [column("event_hour", "int"), column("contact_clean", "string")],
    },
    warehouse: {
      table: x(MAX_PUBLISHED_RELATION, "t"),
      sortKey: ["event_time", "event_id", "amount"],
      distStyle: "key",
      distKey: "event_id",
      materializedViews: [{ name: VIEW_NAME, description: x(500, "d"), groupBy: ["event_hour"], measures: [{ name: "total", aggregate: "sum", column: "amount", description: x(MAX_COLUMN_DESCRIPTION, "d") }] }],
    },
    bi: { publish: true, geographic: [], synonyms: { amount: ["sum"] } },
    environments: { sandbox1: { shards: 500, streamRetentionHours: 8760, workers: 299, maxWorkers: 299 } },
  };
}

function refusal(environments: any[], pipelines: any[]): ConfigValidationError {
  try {
    validateConfiguration({ environments, pipelines });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("every documented limit at its edge", () => {
  it("synthesizes, and the names it derives reach their limits exactly", () => {
    const configuration = validateConfiguration({ environments: edgeEnvironments(), pipelines: [edgePipeline()] });
    const outdir = mkdtempSync(join(tmpdir(), "dp-edge-"));
    buildApp({ outdir, ...configuration }).synth();
    const read = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as TerraformJson;
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(
      ["data-platform-sandbox1", "data-platform-sandbox1-bootstrap", pipelineStackName({ name: "sandbox1" }, PIPELINE_NAME), "data-platform-sandbox2", "data-platform-sandbox2-bootstrap", pipelineStackName({ name: "sandbox2" }, PIPELINE_NAME)].sort(),
    );
    const stacks = readdirSync(join(outdir, "stacks")).map(read);
    const longest: Record<string, number> = {};
    for (const stack of stacks) {
      for (const [type, { attribute, kind }] of Object.entries(NAMED_RESOURCES)) {
        for (const config of Object.values(stack.resource?.[type] ?? {})) {
          const name = config[attribute];
          if (typeof name === "string" && !name.includes("${")) longest[kind] = Math.max(longest[kind] ?? 0, name.length);
        }
      }
    }
    expect(longest.eventRule).toBe(NAME_RULES.eventRule.maxLength);
    expect(longest.iamRole).toBeLessThanOrEqual(NAME_RULES.iamRole.maxLength);
    for (const [kind, length] of Object.entries(longest)) expect({ kind, fits: length <= NAME_RULES[kind as keyof typeof NAME_RULES].maxLength }).toEqual({ kind, fits: true });
    // AWS's 50 tags per resource: the default tags and a resource's own together.
    for (const stack of stacks) {
      const defaultTags = Object.keys((stack.provider!.aws[0] as any).default_tags[0].tags).length;
      const ownTags = Math.max(0, ...Object.values(stack.resource ?? {}).flatMap((byName) => Object.values(byName).map((r) => Object.keys((r.tags as object) ?? {}).length)));
      expect(defaultTags + ownTags).toBeLessThanOrEqual(TAG_LIMITS.tagsPerResource);
    }
    // A pipeline stack's jobs carry a tag of their own (the keep-alive finds streaming jobs by it).
    expect(Object.values(read(pipelineStackName({ name: "sandbox1" }, PIPELINE_NAME)).resource!.aws_glue_job).every((job) => Object.keys(job.tags as object).length > 0)).toBe(true);
  });

  const pastTheEdge: { title: string; change: (envs: any[], pipeline: any) => void; path: string }[] = [
    { title: "a pipeline name one longer", change: (_, p) => (p.name = `${PIPELINE_NAME}p`), path: `pipelines.${PIPELINE_NAME}p.name` },
    { title: "a view name one longer (its saved query's name)", change: (_, p) => (p.warehouse.materializedViews[0].name = `${VIEW_NAME}v`), path: `pipelines.${PIPELINE_NAME}.name` },
    { title: "an environment name one longer", change: (envs) => (envs[0].name = "sandbox12"), path: "sandbox12.name" },
    { title: "a seventh availability zone", change: (envs) => (envs[0].network.availabilityZones = 7), path: "sandbox1.network.availabilityZones" },
    { title: "a fourth zone where the region has three", change: (envs) => (envs[1].network.availabilityZones = 4), path: "sandbox2.network.availabilityZones" },
    { title: "a /25 network", change: (envs) => (envs[0].network.cidr = "10.50.0.0/25"), path: "sandbox1.network.cidr" },
    { title: "one extra tag more", change: (envs) => (envs[0].tags.extra.more = "v"), path: "sandbox1.tags.extra" },
    { title: "a tag key one longer", change: (envs) => (envs[0].tags.extra[x(TAG_LIMITS.keyLength + 1, "k")] = "v"), path: `sandbox1.tags.extra.${x(TAG_LIMITS.keyLength + 1, "k")}` },
    { title: "an owner one longer", change: (envs) => (envs[0].tags.owner += "o"), path: "sandbox1.tags.owner" },
    { title: "a Glue trigger every 4 minutes", change: (envs) => (envs[0].streaming.batchSchedule = "cron(0/4 * * * ? *)"), path: "sandbox1.streaming.batchSchedule" },
    { title: "501 shards", change: (envs) => (envs[0].streaming.shards = 501), path: "sandbox1.streaming.shards" },
    { title: "1032 RPUs", change: (envs) => (envs[0].warehouse.maxCapacityRpu = 1032), path: "sandbox1.warehouse.maxCapacityRpu" },
    { title: "a warehouse load interval one minute over a day", change: (envs) => (envs[0].warehouse.loadIntervalMinutes = MAX_LOAD_INTERVAL_MINUTES + 1), path: "sandbox1.warehouse.loadIntervalMinutes" },
    { title: "a negative warehouse load interval", change: (envs) => (envs[1].warehouse.loadIntervalMinutes = -1), path: "sandbox2.warehouse.loadIntervalMinutes" },
    { title: "a stream retention one hour longer", change: (envs) => (envs[0].retention.streamHours = 8761), path: "sandbox1.retention.streamHours" },
    { title: "an Athena cutoff one byte under 10 MB", change: (envs) => (envs[0].athena.bytesScannedCutoffPerQuery = 10_485_759), path: "sandbox1.athena.bytesScannedCutoffPerQuery" },
    { title: "a column name one longer", change: (_, p) => (p.schema.fields[2].name = x(MAX_IDENTIFIER + 1, "c")), path: `pipelines.${PIPELINE_NAME}.schema.fields[2].name` },
    { title: "a column description one longer", change: (_, p) => (p.schema.fields[0].description += "d"), path: `pipelines.${PIPELINE_NAME}.schema.fields[0].description` },
    { title: "a hashed column's description one longer", change: (_, p) => (p.schema.fields[3].description += "d"), path: `pipelines.${PIPELINE_NAME}.schema.fields[3].description` },
    { title: "a data set name one longer", change: (_, p) => (p.description += "D"), path: `pipelines.${PIPELINE_NAME}.description` },
    { title: "a published table name one longer", change: (_, p) => (p.warehouse.table = x(MAX_PUBLISHED_RELATION + 1, "t")), path: `pipelines.${PIPELINE_NAME}.warehouse.table` },
    { title: "a record limit one byte over 1 MiB", change: (_, p) => (p.schema.maxRecordBytes = 1_048_577), path: `pipelines.${PIPELINE_NAME}.schema.maxRecordBytes` },
    { title: "decimal(39,38)", change: (_, p) => (p.schema.fields[2].type = "decimal(39,38)"), path: `pipelines.${PIPELINE_NAME}.schema.fields[2].type` },
    { title: "a string limit one over 65535", change: (_, p) => (p.schema.fields[0].maxLength = 65536), path: `pipelines.${PIPELINE_NAME}.schema.fields[0].maxLength` },
  ];

  it.each(pastTheEdge)("refuses $title before synthesis, naming $path", ({ change, path }) => {
    const envs = edgeEnvironments();
    const pipeline = edgePipeline();
    change(envs, pipeline);
    expect(refusal(envs, [pipeline]).problems.map((p) => p.path)).toContain(path);
  });
});
