import { StateMachine } from "aws-local-stepfunctions";
import { ACTIVE_RUN_STATES, JOB_KIND_TAG, KEEP_ALIVE_STATE, LIST_JOBS_PAGE_SIZE, keepAliveDefinition, keepAliveNames, streamingJobTags } from "../../modules/streaming";
import { Namer } from "../../lib/naming";
import { awsError } from "../catalog/aws-models";
import { actionsIn, roleResourceName, rolePolicies, simulate, unknownActions } from "../helpers/iam";
import { resourcesOf, synthAll, synthEnvironment } from "../helpers/synth";

// asl-validator ships no types.
const aslValidator: (definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }) => { isValid: boolean; errorsText: (sep?: string) => string } = require("asl-validator");

/**
 * The keep-alive that replaced the 15-minute Glue trigger (issue 13, item 8): validated, executed
 * in aws-local-stepfunctions against a model of Glue's job runs, and its IAM simulated.
 */

type Run = { JobRunState: string; Id: string };
type Tags = Readonly<Record<string, string>>;

/**
 * Glue's jobs as the keep-alive sees them: ListJobs by tags (every given tag must match; pages of
 * MaxResults names with a NextToken while more remain), GetJobRuns newest first, one concurrent run
 * per job. Jobs not given tags carry a stage streaming job's.
 */
class GlueJobsModel {
  readonly started: string[] = [];
  readonly failedStarts: string[] = [];
  readonly listCalls: { Tags: Tags; MaxResults: number; NextToken?: string }[] = [];
  constructor(
    private readonly runs: Record<string, Run[]>,
    private readonly raceOn: readonly string[] = [],
    private readonly tags: Record<string, Tags> = Object.fromEntries(JOBS.map((job) => [job, { ...STAGE_TAGS, project: "data-platform" }])),
  ) {}

  listJobs(input: { Tags: Tags; MaxResults: number; NextToken?: string }) {
    this.listCalls.push(input);
    const matching = Object.keys(this.tags).filter((job) => Object.entries(input.Tags).every(([k, v]) => this.tags[job][k] === v));
    const from = input.NextToken ? Number(input.NextToken) : 0;
    const page = matching.slice(from, from + input.MaxResults);
    return from + input.MaxResults < matching.length ? { JobNames: page, NextToken: String(from + input.MaxResults) } : { JobNames: page };
  }

  getJobRuns(jobName: string, maxResults: number) {
    return { JobRuns: (this.runs[jobName] ?? []).slice(0, maxResults) };
  }

  startJobRun(jobName: string) {
    const latest = this.runs[jobName]?.[0];
    // Another start won between the look-up and this call: Glue refuses the second run.
    if (this.raceOn.includes(jobName) || (latest && (ACTIVE_RUN_STATES as readonly string[]).includes(latest.JobRunState))) {
      this.failedStarts.push(jobName);
      throw awsError("Glue.ConcurrentRunsExceededException", `Concurrent runs exceeded for ${jobName}`);
    }
    this.started.push(jobName);
    const run = { JobRunState: "STARTING", Id: `jr_${this.started.length}` };
    this.runs[jobName] = [run, ...(this.runs[jobName] ?? [])];
    return { JobRunId: run.Id };
  }
}

const JOBS = ["dp-stage-attendees-streaming", "dp-stage-session-checkins-streaming"];
const STAGE_TAGS = streamingJobTags("stage");
const definition = keepAliveDefinition(STAGE_TAGS);
const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });

async function runWith(glue: GlueJobsModel) {
  const execution = machine.run({} as never, {
    overrides: {
      taskResourceLocalHandlers: {
        [KEEP_ALIVE_STATE.jobs]: async (input: { Tags: Tags; MaxResults: number }) => glue.listJobs(input),
        [KEEP_ALIVE_STATE.nextPage]: async (input: { Tags: Tags; MaxResults: number; NextToken: string }) => glue.listJobs(input),
        [KEEP_ALIVE_STATE.latest]: async (input: { JobName: string; MaxResults: number }) => glue.getJobRuns(input.JobName, input.MaxResults),
        [KEEP_ALIVE_STATE.start]: async (input: { JobName: string }) => glue.startJobRun(input.JobName),
      } as never,
    },
  });
  return execution.result;
}

const run = (state: string): Run[] => [{ JobRunState: state, Id: "jr_old" }];

describe("keep-alive definition", () => {
  it("is valid ASL with ARN and path checks on", () => {
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });
    expect(result.errorsText("\n")).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("refuses to list jobs without tags (every job of the account)", () => {
    expect(() => keepAliveDefinition({})).toThrow(/no tags/);
  });

  it("calls only Glue actions its role grants, all of them real", async () => {
    const resources = JSON.stringify(definition).match(/arn:aws:states:::aws-sdk:glue:\w+/g)!;
    const actions = [...new Set(resources.map((r) => `glue:${r.split(":").pop()!.replace(/^./, (c) => c.toUpperCase())}`))].sort();
    expect(actions).toEqual(["glue:GetJobRuns", "glue:ListJobs", "glue:StartJobRun"]);
    expect(await unknownActions(actions)).toEqual([]);
  });
});

describe("keep-alive, finding the jobs", () => {
  jest.setTimeout(30_000);

  it("lists the environment's streaming jobs by tag, and only those", async () => {
    const glue = new GlueJobsModel({}, [], {
      [JOBS[0]]: { ...STAGE_TAGS },
      [JOBS[1]]: { ...STAGE_TAGS },
      "dp-stage-attendees-batch": { environment: "stage", [JOB_KIND_TAG]: "batch" },
      "dp-prod-attendees-streaming": { environment: "prod", [JOB_KIND_TAG]: "streaming" },
      "someone-elses-job": {},
    });
    await runWith(glue);
    expect(glue.listCalls[0].Tags).toEqual({ environment: "stage", [JOB_KIND_TAG]: "streaming" });
    expect(glue.started.sort()).toEqual([...JOBS].sort());
  });

  it("follows every page: a job on the last page is kept running too", async () => {
    const many = Array.from({ length: LIST_JOBS_PAGE_SIZE * 2 + 3 }, (_, i) => `dp-stage-p${i}-streaming`);
    const glue = new GlueJobsModel(Object.fromEntries(many.map((job) => [job, run("RUNNING")])), [], Object.fromEntries(many.map((job) => [job, STAGE_TAGS])));
    const stopped = many[many.length - 1];
    (glue as unknown as { runs: Record<string, Run[]> }).runs[stopped] = run("STOPPED");
    await runWith(glue);
    expect(glue.listCalls.map((c) => c.NextToken ?? null)).toEqual([null, String(LIST_JOBS_PAGE_SIZE), String(LIST_JOBS_PAGE_SIZE * 2)]);
    expect(glue.started).toEqual([stopped]);
  });

  it("ends quietly where the environment has no streaming job yet", async () => {
    const glue = new GlueJobsModel({}, [], {});
    await expect(runWith(glue)).resolves.toBeDefined();
    expect(glue.started).toEqual([]);
  });
});

describe("keep-alive, executed", () => {
  jest.setTimeout(30_000);

  it("leaves running jobs alone: no start, so no concurrent-run failure", async () => {
    for (const state of ACTIVE_RUN_STATES) {
      const glue = new GlueJobsModel({ [JOBS[0]]: run(state), [JOBS[1]]: run("RUNNING") });
      await runWith(glue);
      expect([state, glue.started, glue.failedStarts]).toEqual([state, [], []]);
    }
  });

  it("starts a job that never ran, or whose run Glue or a person ended", async () => {
    for (const state of ["SUCCEEDED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"]) {
      const glue = new GlueJobsModel({ [JOBS[0]]: run(state), [JOBS[1]]: run("RUNNING") });
      await runWith(glue);
      expect([state, glue.started]).toEqual([state, [JOBS[0]]]);
    }
    const fresh = new GlueJobsModel({});
    await runWith(fresh);
    expect(fresh.started.sort()).toEqual([...JOBS].sort());
  });

  it("leaves a FAILED job stopped: no restart loop of broken code", async () => {
    const glue = new GlueJobsModel({ [JOBS[0]]: run("FAILED"), [JOBS[1]]: run("RUNNING") });
    await runWith(glue);
    expect(glue.started).toEqual([]);
  });

  it("ends cleanly when another start wins the race", async () => {
    const glue = new GlueJobsModel({ [JOBS[0]]: run("STOPPED") }, [JOBS[0]]);
    await expect(runWith(glue)).resolves.toBeDefined();
    expect(glue.failedStarts).toEqual([JOBS[0]]);
  });

  it("run every 15 minutes for a day against running jobs, starts nothing (the old trigger failed 96 times)", async () => {
    const glue = new GlueJobsModel({ [JOBS[0]]: run("RUNNING"), [JOBS[1]]: run("RUNNING") });
    for (let i = 0; i < 96; i++) await runWith(glue);
    expect(glue.started).toEqual([]);
    expect(glue.failedStarts).toEqual([]);
  });
});

describe("keep-alive in the stacks", () => {
  it("exists exactly where streaming.jobs is always-on, in the core, finds every streaming job by its tags, and no Glue trigger starts a streaming job", () => {
    // Resolved: the triggers name the jobs by reference.
    for (const { environment, core, resolvedPlatform: platform } of synthAll()) {
      const names = keepAliveNames(new Namer(environment.name, environment.account.id, environment.account.region));
      const machines = resourcesOf(core, "aws_sfn_state_machine").filter(([, m]) => m.name === names.stateMachine);
      const jobs = resourcesOf(platform, "aws_glue_job").map(([, j]) => j);
      const streamingJobs = jobs.filter((j) => j.command.name === "gluestreaming").map((j) => j.name).sort();
      expect([environment.name, machines.length]).toEqual([environment.name, environment.streaming.jobs === "always-on" ? 1 : 0]);
      if (machines.length) expect(JSON.parse(machines[0][1].definition)).toEqual(keepAliveDefinition(streamingJobTags(environment.name)));
      // What ListJobs finds: the streaming jobs (their own tags and the provider's default tags), no batch job.
      const defaultTags = (core.provider as any).aws[0].default_tags[0].tags as Tags;
      const found = jobs.filter((j) => Object.entries(streamingJobTags(environment.name)).every(([k, v]) => ({ ...defaultTags, ...j.tags })[k] === v)).map((j) => j.name).sort();
      expect([environment.name, found]).toEqual([environment.name, streamingJobs]);
      const triggers = resourcesOf(platform, "aws_glue_trigger").map(([, t]) => t);
      expect(triggers.flatMap((t) => t.actions.map((a: { job_name: string }) => a.job_name)).filter((name: string) => streamingJobs.includes(name))).toEqual([]);
    }
  });

  it("runs on its schedule with a retry and an encrypted dead-letter queue, and its failures alarm", () => {
    const { platform } = synthEnvironment("prod");
    const [, schedule] = resourcesOf(platform, "aws_scheduler_schedule").find(([, s]) => s.name === "dp-prod-streaming-keepalive")!;
    expect(schedule.schedule_expression).toBe("cron(0/15 * * * ? *)");
    expect(schedule.target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
    expect(schedule.target.dead_letter_config.arn).toMatch(/aws_sqs_queue\.streaming_keep-alive/);
    const alarms = resourcesOf(platform, "aws_cloudwatch_metric_alarm").map(([, a]) => a.alarm_name);
    expect(alarms).toEqual(expect.arrayContaining(["dp-prod-streaming-keepalive-failed", "dp-prod-streaming-keepalive-dlq-messages"]));
  });

  it("may look up and start its environment's streaming jobs, and nothing else", async () => {
    const { platform } = synthEnvironment("stage");
    const policies = rolePolicies(platform, roleResourceName(platform, "dp-stage-streaming-keepalive"));
    expect(await unknownActions(policies.flatMap((p) => actionsIn(p)))).toEqual([]);
    const job = (name: string, account = "444455556666") => `arn:aws:glue:eu-west-1:${account}:job/${name}`;
    for (const name of JOBS) {
      expect(await simulate(policies, "glue:StartJobRun", job(name), { accountId: "444455556666" })).toBe("Allowed");
      expect(await simulate(policies, "glue:GetJobRuns", job(name), { accountId: "444455556666" })).toBe("Allowed");
    }
    expect(await simulate(policies, "glue:StartJobRun", job("dp-stage-attendees-batch"), { accountId: "444455556666" })).not.toBe("Allowed");
    expect(await simulate(policies, "glue:ListJobs", "*", { accountId: "444455556666" })).toBe("Allowed");
    expect(await simulate(policies, "glue:BatchStopJobRun", job(JOBS[0]), { accountId: "444455556666" })).not.toBe("Allowed");
    expect(await simulate(policies, "glue:StartJobRun", job("dp-prod-attendees-streaming", "777788889999"), { accountId: "444455556666" })).not.toBe("Allowed");
  });
});
