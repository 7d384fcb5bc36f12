import { join } from "node:path";
import { loadEnvironments } from "../../environments";
import { loadPipelines } from "../../pipelines";
import { parseArgs, UsageError } from "../../tools/jobs/args";
import { JobTargets, refusal, runJobs } from "../../tools/jobs/run";
import { jobTargets } from "../../tools/jobs/targets";
import { runNode } from "../helpers/node-process";
import { resourcesOf, synthEnvironment } from "../helpers/synth";

/** `npm run jobs`: offline, against a model of Glue and Step Functions behind the SDK's `send`. */

const ENVIRONMENTS = ["dev", "stage", "prod"];
const PIPELINES = ["attendees", "session_checkins"];

type Run = { Id: string; JobRunState: string };

/** Answers the SDK commands the tool sends, as Glue and Step Functions do, and records them. */
class FakeAws {
  readonly sent: [string, Record<string, any>][] = [];
  constructor(private readonly runs: Record<string, Run[]>) {}
  readonly glue = { send: async (command: object) => this.answer(command) };
  readonly sfn = { send: async (command: object) => this.answer(command) };

  private async answer(command: object): Promise<any> {
    const name = command.constructor.name;
    const input = (command as { input: Record<string, any> }).input;
    this.sent.push([name, input]);
    switch (name) {
      case "GetJobRunsCommand":
        return { JobRuns: (this.runs[input.JobName] ?? []).slice(0, input.MaxResults) };
      case "StartJobRunCommand":
        return { JobRunId: `jr_new_${input.JobName}` };
      case "BatchStopJobRunCommand":
        return { SuccessfulSubmissions: input.JobRunIds.map((id: string) => ({ JobName: input.JobName, JobRunId: id })), Errors: [] };
      case "StartExecutionCommand":
        return { executionArn: `${input.stateMachineArn.replace(":stateMachine:", ":execution:")}:catch-up` };
      default:
        throw new Error(`unexpected command ${name}`);
    }
  }
}

const environments = loadEnvironments();
const pipelines = loadPipelines(environments.map((e) => e.name));
const targetsOf = (env: string, only?: string): JobTargets => jobTargets(environments.find((e) => e.name === env)!, pipelines, only);

describe("arguments", () => {
  it("takes a command, an environment, and optionally one pipeline", () => {
    expect(parseArgs(["start", "--env", "stage"], ENVIRONMENTS, PIPELINES)).toEqual({ command: "start", env: "stage", catchUp: true, force: false });
    expect(parseArgs(["stop", "--env", "dev", "--pipeline", "attendees", "--no-catch-up", "--force"], ENVIRONMENTS, PIPELINES)).toEqual({ command: "stop", env: "dev", pipeline: "attendees", catchUp: false, force: true });
  });

  it.each([
    [["begin", "--env", "dev"], /first argument must be start, stop, status, not begin/],
    [["start"], /--env is required/],
    [[], /missing start\|stop\|status/],
    [["start", "--env", "qa"], /--env "qa" is not one of the defined environments: dev, stage, prod/],
    [["start", "--env", "dev", "--pipeline", "orders"], /--pipeline orders is not a pipeline/],
    [["start", "--env", "dev", "--verbose"], /unknown option --verbose; valid options: --env, --pipeline, --no-catch-up, --force, --help/],
    [["start", "--env"], /--env needs a value/],
  ])("refuses %j", (args, message) => {
    expect(() => parseArgs(args, ENVIRONMENTS, PIPELINES)).toThrow(UsageError);
    expect(() => parseArgs(args, ENVIRONMENTS, PIPELINES)).toThrow(message);
  });
});

describe("what it acts on", () => {
  it("names exactly the streaming jobs and catalog workflows the stack deploys", () => {
    for (const env of ENVIRONMENTS) {
      const { platform } = synthEnvironment(env);
      const streamingJobs = resourcesOf(platform, "aws_glue_job").filter(([, j]) => j.command.name === "gluestreaming").map(([, j]) => j.name).sort();
      const targets = targetsOf(env);
      expect(targets.jobs.map((j) => j.jobName).sort()).toEqual(streamingJobs);
      const machines = resourcesOf(platform, "aws_sfn_state_machine").map(([, m]) => m.name as string);
      for (const catchUp of targets.catchUps) {
        expect(machines).toContain(catchUp.stateMachineArn.split(":stateMachine:")[1]);
        expect(JSON.parse(catchUp.input)).toEqual({ pipeline: catchUp.pipeline, catchUp: true });
      }
    }
    expect(targetsOf("stage", "attendees").jobs).toEqual([{ pipeline: "attendees", jobName: "dp-stage-attendees-streaming" }]);
  });

  it("refuses to start where the jobs cannot run, and to stop where the keep-alive restarts them (unless forced)", () => {
    expect(refusal("start", "off", "dev", false)).toMatch(/"off" in dev.*"on-demand".*deploy/);
    expect(refusal("stop", "always-on", "prod", false)).toMatch(/keep-alive would start the jobs again/);
    expect(refusal("stop", "always-on", "prod", true)).toBeUndefined();
    expect(refusal("start", "on-demand", "dev", false)).toBeUndefined();
    expect(refusal("status", "off", "dev", false)).toBeUndefined();
  });
});

describe("against Glue and Step Functions (modelled)", () => {
  const [attendees, checkins] = ["dp-stage-attendees-streaming", "dp-stage-session-checkins-streaming"];

  it("start: starts the job that is not running and leaves the running one alone", async () => {
    const aws = new FakeAws({ [attendees]: [{ Id: "jr_1", JobRunState: "RUNNING" }], [checkins]: [{ Id: "jr_2", JobRunState: "STOPPED" }] });
    const lines = await runJobs("start", targetsOf("stage"), aws, { catchUp: true });
    expect(aws.sent.filter(([name]) => name === "StartJobRunCommand")).toEqual([["StartJobRunCommand", { JobName: checkins }]]);
    expect(lines).toEqual([`${attendees}: already RUNNING (run jr_1), left alone`, `${checkins}: started (run jr_new_${checkins})`]);
  });

  it("stop: stops running runs, then starts one catch-up per pipeline", async () => {
    const aws = new FakeAws({ [attendees]: [{ Id: "jr_1", JobRunState: "RUNNING" }], [checkins]: [] });
    const lines = await runJobs("stop", targetsOf("stage"), aws, { catchUp: true });
    expect(aws.sent.filter(([name]) => name === "BatchStopJobRunCommand")).toEqual([["BatchStopJobRunCommand", { JobName: attendees, JobRunIds: ["jr_1"] }]]);
    expect(aws.sent.filter(([name]) => name === "StartExecutionCommand").map(([, input]) => JSON.parse(input.input).pipeline)).toEqual(PIPELINES);
    expect(lines[1]).toBe(`${checkins}: not running (never ran)`);
  });

  it("stop --no-catch-up starts no execution; status changes nothing", async () => {
    const aws = new FakeAws({ [attendees]: [{ Id: "jr_1", JobRunState: "RUNNING" }] });
    await runJobs("stop", targetsOf("stage"), aws, { catchUp: false });
    expect(aws.sent.map(([name]) => name)).not.toContain("StartExecutionCommand");
    const quiet = new FakeAws({ [attendees]: [{ Id: "jr_1", JobRunState: "FAILED" }] });
    const lines = await runJobs("status", targetsOf("stage"), quiet, { catchUp: true });
    expect(quiet.sent.map(([name]) => name)).toEqual(["GetJobRunsCommand", "GetJobRunsCommand"]);
    expect(lines).toEqual([`${attendees}: FAILED (run jr_1)`, `${checkins}: never ran`]);
  });
});

describe("the command line", () => {
  const cli = (...args: string[]) => runNode(["-r", "./tools/register.js", join("tools", "jobs", "cli.ts"), ...args]);
  jest.setTimeout(30_000);

  it("prints its usage with --help (exit 0), refuses a bad command line (exit 2) and a start where jobs are off (exit 1), all without AWS", async () => {
    const help = await cli("--help");
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining("exit codes:")]);
    const bad = await cli("start", "--env", "qa");
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("--env \"qa\" is not one of the defined environments")]);
    const off = await cli("start", "--env", "dev");
    expect([off.code, off.stderr]).toEqual([1, expect.stringContaining('streaming.jobs is "off" in dev')]);
  });
});
