/** The CLI as `npm run produce` runs it: a real process, through the repository's TypeScript loader. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { KinesisClient } from "../../tools/producer/client";
import { validateRecord } from "../../tools/producer/validate-record";
import { ProcessResult, runNode } from "../helpers/node-process";
import { pipelineNamed } from "./helpers";

jest.setTimeout(30_000);

const ROOT = join(__dirname, "..", "..");

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runNode(["-r", "./tools/register.js", "tools/producer/cli.ts", ...args], { cwd: ROOT, env });
}

const DRY_RUN = ["--env", "dev", "--pipeline", "attendees", "--seed", "42", "--anchor", "2026-03-07T05:00:00Z", "--dry-run"];

describe("npm run produce", () => {
  it("--dry-run prints the first 10 events as JSON lines, the same for the same seed", async () => {
    const [first, second] = await Promise.all([runCli(DRY_RUN), runCli(DRY_RUN)]);
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(validateRecord(pipelineNamed("attendees").contract, line)).toEqual({ ok: true });
    expect(second.stdout).toBe(first.stdout);
    expect(first.stderr).toContain("dry run: 1000 attendees events would go to stream dp-dev-attendees at https://kinesis.eu-west-1.amazonaws.com");
  });

  it("names the valid pipelines for an unknown one, and exits 2", async () => {
    const run = await runCli(["--env", "dev", "--pipeline", "nope", "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--pipeline "nope" is not a pipeline; valid: attendees, session_checkins');
    expect(run.stdout).toBe("");
  });

  it("asks for credentials before sending", async () => {
    const run = await runCli(["--env", "dev", "--pipeline", "attendees", "--endpoint", "http://127.0.0.1:9"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set");
  });

  it("sends to kinesalite, reports, and exits by itself", async () => {
    const kinesalite = (require("kinesalite") as (o: object) => http.Server)({ createStreamMs: 0 });
    await new Promise<void>((resolve) => kinesalite.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(kinesalite.address() as AddressInfo).port}`;
    const client = new KinesisClient({ endpoint, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    try {
      await client.createStream("dp-stage-session-checkins", 1);
      const run = await runCli(["--env", "stage", "--pipeline", "session_checkins", "--endpoint", endpoint, "--count", "120", "--rate", "5000"], {
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      });
      expect(run.stderr).toMatch(/^sent 120, retried 0, failed 0 in /m);
      expect(run.stderr).toMatch(/--seed \d+ --anchor \d{4}-\d{2}-\d{2}T00:00:00\.000Z/);
      expect(run.code).toBe(0);
    } finally {
      client.close();
      await new Promise((resolve) => kinesalite.close(resolve));
    }
  });
});
