/**
 * The CLI as `npm run produce` runs it: a real process, through the repository's TypeScript loader,
 * with an environment built here (nothing inherited but PATH), so that the AWS SDK's default
 * credential chain sees only what each test gives it.
 */
import * as http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CREDENTIAL_SOURCES } from "../../tools/producer/client";
import { validateRecord } from "../../tools/producer/validate-record";
import { ProcessResult, runNode } from "../helpers/node-process";
import { pipelineNamed } from "./helpers";
import { LoopbackServers, createStream, readBody, signatureRecorder } from "./local-kinesis";

jest.setTimeout(30_000);

const ROOT = join(__dirname, "..", "..");
const STREAM = "dp-stage-session-checkins";

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runNode(["-r", "./tools/register.js", "tools/producer/cli.ts", ...args], { cwd: ROOT, env });
}

const DRY_RUN = ["--env", "dev", "--pipeline", "attendees", "--seed", "42", "--anchor", "2026-03-07T05:00:00Z", "--dry-run"];
const SEND = (endpoint: string) => ["--env", "stage", "--pipeline", "session_checkins", "--endpoint", endpoint, "--count", "120", "--rate", "5000"];

const servers = new LoopbackServers();
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "produce-cli-"));
});
afterEach(async () => {
  await servers.closeAll();
  rmSync(home, { recursive: true, force: true });
});

/**
 * A machine with no AWS configuration: an empty home, and no instance metadata service (the
 * test machine may be an EC2 instance; the instance-role test points the SDK at its own).
 */
function isolated(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HOME: home,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

/** kinesalite with the stream, behind a proxy that notes which access key signed each call. */
async function kinesisWithRecorder() {
  const kinesalite = await servers.startKinesalite();
  await createStream(kinesalite, STREAM, 1);
  const recorder = signatureRecorder(kinesalite);
  return { endpoint: await servers.listen(recorder.server), calls: recorder.calls };
}

/**
 * Serves role credentials the way the ECS/EKS container endpoint and EC2's instance metadata
 * service (IMDSv2) do: the same JSON document, behind their paths. Notes every path asked for.
 */
function roleCredentialServer(accessKeyId: string) {
  const paths: string[] = [];
  const credentials = { Code: "Success", AccessKeyId: accessKeyId, SecretAccessKey: "role-secret", Token: "role-session-token", Expiration: new Date(Date.now() + 3_600_000).toISOString() };
  const server = http.createServer(async (req, res) => {
    await readBody(req);
    paths.push(`${req.method} ${req.url}`);
    if (req.method === "PUT" && req.url === "/latest/api/token") return void res.end("imds-session-token");
    if (req.url === "/latest/meta-data/iam/security-credentials/") return void res.end("producer-role");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(credentials));
  });
  return { server, paths };
}

const summaryLine = /^sent 120, retried 0, failed 0 in /m;

describe("npm run produce", () => {
  it("--dry-run prints the first 10 events as JSON lines, the same for the same seed", async () => {
    const [first, second] = await Promise.all([runCli(DRY_RUN), runCli(DRY_RUN)]);
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(validateRecord(pipelineNamed("attendees").contract, line)).toEqual({ ok: true });
    expect(second.stdout).toBe(first.stdout);
    expect(first.stderr).toContain("dry run: 1000 attendees events would go to stream dp-dev-attendees in eu-west-1");
  });

  it("names the valid pipelines for an unknown one, and exits 2", async () => {
    const run = await runCli(["--env", "dev", "--pipeline", "nope", "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--pipeline "nope" is not a pipeline; valid: attendees, session_checkins');
    expect(run.stdout).toBe("");
  });

  it("sends to kinesalite with credentials from the environment, reports, and exits by itself", async () => {
    const kinesis = await kinesisWithRecorder();
    const run = await runCli(SEND(kinesis.endpoint), isolated({ AWS_ACCESS_KEY_ID: "AKIDFROMENV", AWS_SECRET_ACCESS_KEY: "secret" }));
    expect(run.stderr).toMatch(summaryLine);
    expect(run.stderr).toMatch(/--seed \d+ --anchor \d{4}-\d{2}-\d{2}T00:00:00\.000Z/);
    expect(run.code).toBe(0);
    expect(kinesis.calls.map((c) => `${c.action} ${c.accessKeyId}`)).toEqual(["PutRecords AKIDFROMENV"]);
  });

  it("retries a connection that is refused, then exits 1 with the records counted as failed", async () => {
    const closed = await servers.listen(http.createServer());
    await servers.closeAll();
    const run = await runCli([...SEND(closed), "--count", "3", "--max-attempts", "2"], isolated({ AWS_ACCESS_KEY_ID: "AKIDFROMENV", AWS_SECRET_ACCESS_KEY: "secret" }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^sent 0, retried 3, failed 3 in /m);
    expect(run.stderr).toContain(": NetworkError: PutRecords failed: NetworkError (HTTP 0): connect ECONNREFUSED");
  });
});

describe("npm run produce: credentials from the AWS SDK's default chain", () => {
  it("uses a named profile from the shared credentials file", async () => {
    writeFileSync(join(home, "credentials"), "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n[load-test]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n");
    const kinesis = await kinesisWithRecorder();
    const run = await runCli(SEND(kinesis.endpoint), isolated({ AWS_PROFILE: "load-test" }));
    expect(run.stderr).toMatch(summaryLine);
    expect(run.code).toBe(0);
    expect(kinesis.calls.map((c) => c.accessKeyId)).toEqual(["AKIDPROFILE"]);
  });

  it("uses the container's role (ECS task role, EKS Pod Identity)", async () => {
    const role = roleCredentialServer("ASIACONTAINER");
    const roleEndpoint = await servers.listen(role.server);
    const kinesis = await kinesisWithRecorder();
    const run = await runCli(SEND(kinesis.endpoint), isolated({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${roleEndpoint}/v2/credentials/task` }));
    expect(run.stderr).toMatch(summaryLine);
    expect(run.code).toBe(0);
    expect(role.paths).toEqual(["GET /v2/credentials/task"]);
    expect(kinesis.calls.map((c) => c.accessKeyId)).toEqual(["ASIACONTAINER"]);
  });

  it("uses the EC2 instance's role, through IMDSv2", async () => {
    const role = roleCredentialServer("ASIAINSTANCE");
    const imds = await servers.listen(role.server);
    const kinesis = await kinesisWithRecorder();
    const run = await runCli(SEND(kinesis.endpoint), isolated({ AWS_EC2_METADATA_DISABLED: "false", AWS_EC2_METADATA_SERVICE_ENDPOINT: imds }));
    expect(run.stderr).toMatch(summaryLine);
    expect(run.code).toBe(0);
    expect(role.paths).toEqual(["PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/", "GET /latest/meta-data/iam/security-credentials/producer-role"]);
    expect(kinesis.calls.map((c) => c.accessKeyId)).toEqual(["ASIAINSTANCE"]);
  });

  it("with no credentials anywhere, exits 2 before sending and names every source it looked at", async () => {
    const kinesis = await kinesisWithRecorder();
    const run = await runCli(SEND(kinesis.endpoint), isolated());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("produce: no usable AWS credentials: Could not load credentials from any providers");
    for (const source of CREDENTIAL_SOURCES) expect(run.stderr).toContain(`  - ${source}\n`);
    expect(run.stderr).not.toContain("producing");
    expect(kinesis.calls).toEqual([]);
  });

  it("with an SSO profile not logged in, exits 2 and says to run aws sso login", async () => {
    writeFileSync(
      join(home, "config"),
      "[profile platform-dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = DataProducer\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    );
    const kinesis = await kinesisWithRecorder();
    const run = await runCli(SEND(kinesis.endpoint), isolated({ AWS_PROFILE: "platform-dev" }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("produce: no usable AWS credentials: ");
    expect(run.stderr).toContain("profile=platform-dev");
    expect(run.stderr).toContain("aws sso login");
    expect(kinesis.calls).toEqual([]);
  });
});
