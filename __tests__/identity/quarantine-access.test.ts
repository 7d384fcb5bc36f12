/**
 * The quarantine's raw payloads, simulated against the synthesized dev stack: the bucket policy,
 * not only IAM, keeps them from every principal but the jobs that publish them and the operator
 * role, whatever an identity policy grants; the analyst-facing rows stay readable to whoever IAM lets.
 */
import { QUARANTINE_PAYLOAD_PREFIX } from "../../modules/lake";
import { Decision, rolePolicies, roleResourceName, simulate, withStandIns } from "../helpers/iam";
import { resourcesOf, synthEnvironment } from "../helpers/synth";

const { platform: json, environment } = synthEnvironment("dev");
const account = environment.account.id;
const bucket = `dp-dev-quarantine-${account}-${environment.account.region}`;
const object = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
const payload = object(`${QUARANTINE_PAYLOAD_PREFIX}attendees/received_date=2026-03-07/streaming-000000000001-00000.json`);
const analystRow = object("attendees/received_date=2026-03-07/streaming-000000000001-00000.json");
const [, policyResource] = resourcesOf(json, "aws_s3_bucket_policy").find(([, p]) => String(p.policy).includes(bucket) && String(p.policy).includes(QUARANTINE_PAYLOAD_PREFIX))!;
const bucketPolicy = JSON.parse(withStandIns(String(policyResource.policy), [], json));
const roleArn = (name: string) => `arn:aws:iam::${account}:role/${name}`;

/** A request as S3 sees it over TLS; `aws:PrincipalArn` of a role session is the role's ARN. */
async function read(principal: string, identity: object[], resource: string): Promise<Decision> {
  return simulate(identity as never, "s3:GetObject", resource, { accountId: account, principal, resourcePolicy: bucketPolicy, context: { "aws:SecureTransport": "true", "aws:PrincipalArn": principal } });
}

describe("the quarantine's raw payloads", () => {
  const everything = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }];

  it("are denied by the bucket policy to a principal IAM lets read everything", async () => {
    expect(await read(roleArn("data-analyst"), everything, payload)).toBe("ExplicitlyDenied");
    expect(await read(roleArn("data-analyst"), everything, analystRow)).toBe("Allowed");
  });

  it("are readable by the operator role and by the pipeline's own jobs, which publish them", async () => {
    const operator = "dp-dev-quarantine-operator";
    expect(await read(roleArn(operator), rolePolicies(json, roleResourceName(json, operator)), payload)).toBe("Allowed");
    for (const job of ["dp-dev-attendees-streaming", "dp-dev-attendees-batch"]) {
      expect(await read(roleArn(job), rolePolicies(json, roleResourceName(json, job)), payload)).toBe("Allowed");
    }
  });

  it("are not readable by another pipeline's job", async () => {
    const other = "dp-dev-session-checkins-streaming";
    expect(await read(roleArn(other), rolePolicies(json, roleResourceName(json, other)), payload)).not.toBe("Allowed");
  });

  it("expire sooner than the analyst-facing rows", () => {
    const [, lifecycle] = resourcesOf(json, "aws_s3_bucket_lifecycle_configuration").find(([, l]) => JSON.stringify(l.rule).includes(QUARANTINE_PAYLOAD_PREFIX))!;
    const rules = lifecycle.rule as { filter: { prefix: string }[]; expiration?: { days?: number }[] }[];
    const payloadDays = rules.find((r) => r.filter[0]?.prefix === QUARANTINE_PAYLOAD_PREFIX)!.expiration![0].days;
    const allDays = rules.find((r) => r.filter[0]?.prefix === "" && r.expiration?.[0]?.days)!.expiration![0].days;
    expect(payloadDays).toBe(environment.retention.quarantinePayloadDays);
    expect(payloadDays!).toBeLessThan(allDays!);
  });
});

describe("the operator role", () => {
  const operator = "dp-dev-quarantine-operator";
  const [, role] = resourcesOf(json, "aws_iam_role").find(([, r]) => r.name === operator)!;

  it("is assumed by the configured principals of the account only, for at most the configured session", () => {
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toEqual([expect.objectContaining({
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Condition: { ArnLike: { "aws:PrincipalArn": environment.operators.quarantine!.principalArnPatterns } },
    })]);
    expect(role.max_session_duration).toBe(environment.operators.quarantine!.maxSessionHours * 3600);
  });

  it("reads the quarantine and writes replays, and nothing else of the lake", async () => {
    const policies = rolePolicies(json, roleResourceName(json, operator));
    const raw = `arn:aws:s3:::dp-dev-raw-${account}-${environment.account.region}`;
    expect(await simulate(policies as never, "s3:PutObject", `${raw}/attendees/replays/fix-1.jsonl`, { accountId: account })).toBe("Allowed");
    expect(await simulate(policies as never, "s3:PutObject", `${raw}/attendees/2026/03/07/file.jsonl`, { accountId: account })).toBe("ImplicitlyDenied");
    expect(await simulate(policies as never, "s3:GetObject", `arn:aws:s3:::dp-dev-curated-${account}-${environment.account.region}/attendees/x.parquet`, { accountId: account })).toBe("ImplicitlyDenied");
    expect(await simulate(policies as never, "s3:DeleteObject", payload, { accountId: account })).toBe("ImplicitlyDenied");
  });
});
