import { Testing, TerraformStack } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { Lake, LAKE_ZONES, lifecycleRules, zoneBucketSettings } from "../../modules/lake";
import { platformKeyPolicy } from "../../modules/lake/key-policy";
import { resourcesOf, synthEnvironment } from "../helpers/synth";

const retention = {
  rawDays: 7,
  curatedDays: 30,
  quarantineDays: 14,
  quarantinePayloadDays: 3,
  tempDays: 1,
  accessLogDays: 30,
  athenaResultsDays: 3,
  noncurrentVersionDays: 5,
  intelligentTieringAfterDays: 0,
};

function synthLake(overrides: Partial<ConstructorParameters<typeof Lake>[2]> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const names = Object.fromEntries(LAKE_ZONES.map((z) => [z, `dp-test-${z.toLowerCase()}-111122223333`])) as Record<(typeof LAKE_ZONES)[number], string>;
  new Lake(stack, "lake", { bucketNames: names, keyAlias: "dp-test-platform", accountId: "111122223333", region: "eu-west-1", retention, quarantinePayloadReaderArns: [], ...overrides });
  return JSON.parse(Testing.synth(stack));
}

describe("Lake", () => {
  it("creates one bucket per zone and one rotated key", () => {
    const json = synthLake();
    expect(resourcesOf(json, "aws_s3_bucket")).toHaveLength(LAKE_ZONES.length);
    const keys = resourcesOf(json, "aws_kms_key");
    expect(keys).toHaveLength(1);
    expect(keys[0][1].enable_key_rotation).toBe(true);
  });

  it("is protected by default and disposable only when asked", () => {
    const protectedLake = resourcesOf(synthLake(), "aws_s3_bucket").map(([, b]) => b);
    expect(protectedLake.every((b) => b.force_destroy === false && b.lifecycle.prevent_destroy === true)).toBe(true);
    const disposable = resourcesOf(synthLake({ forceDestroy: true, preventDestroy: false }), "aws_s3_bucket").map(([, b]) => b);
    expect(disposable.every((b) => b.force_destroy === true && b.lifecycle.prevent_destroy === false)).toBe(true);
  });

  it("sends raw and curated object events to EventBridge, and only those", () => {
    const json = synthLake();
    const notified = resourcesOf(json, "aws_s3_bucket_notification").map(([, n]) => n.bucket as string);
    expect(notified).toHaveLength(2);
    expect(notified.join(" ")).toMatch(/lake_raw_bucket/);
    expect(notified.join(" ")).toMatch(/lake_curated_bucket/);
  });

  it("expires each zone by its own retention, and never expires checkpoints", () => {
    const settings = zoneBucketSettings({ retention, quarantinePayloadReaderArns: [] });
    expect(settings.raw.expireAfterDays).toBe(retention.rawDays);
    expect(settings.quarantine.expireAfterDays).toBe(retention.quarantineDays);
    expect(settings.artifacts.expireAfterDays).toBeUndefined();
    expect(settings.artifacts.prefixExpirations).toEqual([{ prefix: "temp/", expireAfterDays: retention.tempDays }]);
  });

  it("always aborts incomplete uploads and expires noncurrent versions", () => {
    const rules = lifecycleRules({ bucketName: "b", accountId: "1", region: "r", kmsKeyArn: "k", noncurrentVersionDays: 9 });
    expect(rules[0].abortIncompleteMultipartUpload).toEqual([{ daysAfterInitiation: 7 }]);
    expect(rules[0].noncurrentVersionExpiration).toEqual([{ noncurrentDays: 9 }]);
  });

  it("does not transition objects that expire before the transition", () => {
    const rules = lifecycleRules({ bucketName: "b", accountId: "1", region: "r", kmsKeyArn: "k", expireAfterDays: 7, intelligentTieringAfterDays: 30 });
    expect(rules[1].transition).toBeUndefined();
    expect(rules[1].expiration).toEqual([{ days: 7 }]);
  });
});

describe("platform key policy", () => {
  const policy = platformKeyPolicy({ accountId: "111122223333", region: "eu-west-1" });

  it("grants AWS services only with a condition on this account", () => {
    const services = policy.Statement.filter((s) => typeof s.Principal === "object" && "Service" in s.Principal);
    expect(services.length).toBeGreaterThanOrEqual(4);
    for (const statement of services) expect(statement.Condition).toBeDefined();
  });

  it("delegates administration to this account's IAM, not to anyone", () => {
    const root = policy.Statement.find((s) => s.Sid === "AccountAdministersKeyThroughIam");
    expect(root?.Principal).toEqual({ AWS: "arn:aws:iam::111122223333:root" });
  });
});

describe("lake in the environments", () => {
  it("prod protects every bucket and dev lets terraform empty them", () => {
    const prodBuckets = resourcesOf(synthEnvironment("prod").platform, "aws_s3_bucket").map(([, b]) => b);
    expect(prodBuckets.every((b) => b.lifecycle.prevent_destroy === true && b.force_destroy === false)).toBe(true);
    const devBuckets = resourcesOf(synthEnvironment("dev").platform, "aws_s3_bucket").map(([, b]) => b);
    expect(devBuckets.every((b) => b.force_destroy === true)).toBe(true);
  });
});
