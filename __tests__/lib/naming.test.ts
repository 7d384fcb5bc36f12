import { NAME_RULES, NameError, Namer, checkName } from "../../lib/naming";

describe("Namer", () => {
  const namer = new Namer("stage", "444455556666", "eu-west-1");

  it("prefixes every name with the environment", () => {
    expect(namer.name("kinesisStream", "attendees")).toBe("dp-stage-attendees");
    expect(namer.name("glueDatabase", "curated")).toBe("dp_stage_curated");
    expect(namer.logGroup("aws-glue", "jobs")).toBe("/aws-glue/dp-stage/jobs");
  });

  it("normalises parts to the kind's separator", () => {
    expect(namer.name("iamRole", "session_checkins", "streaming job")).toBe("dp-stage-session-checkins-streaming-job");
    expect(namer.name("glueDatabase", "my-db")).toBe("dp_stage_my_db");
  });

  it("makes bucket names globally unique with account and region", () => {
    expect(namer.bucket("curated")).toBe("dp-stage-curated-444455556666-eu-west-1");
  });

  it("is deterministic", () => {
    expect(new Namer("stage", "444455556666", "eu-west-1").bucket("raw")).toBe(namer.bucket("raw"));
  });

  it.each([
    ["iamRole", 64],
    ["s3Bucket", 63],
    ["redshiftWorkgroup", 64],
    ["stateMachine", 80],
    ["eventRule", 64],
    ["cloudwatchAlarm", 255],
  ] as const)("refuses a %s name over %d characters", (kind, limit) => {
    expect(NAME_RULES[kind].maxLength).toBe(limit);
    expect(() => namer.name(kind, "x".repeat(limit))).toThrow(new RegExp(`limit is ${limit}`));
  });

  it("refuses characters the service refuses", () => {
    expect(() => checkName("s3Bucket", "Upper-Case-Bucket")).toThrow(NameError);
    expect(() => checkName("glueDatabase", "has-hyphen")).toThrow(/underscores/);
  });

  it("fits the longest bucket purpose of a prod account in 63 characters", () => {
    expect(new Namer("prod", "777788889999", "ap-southeast-7").bucket("state-access-logs").length).toBeLessThanOrEqual(63);
  });
});
