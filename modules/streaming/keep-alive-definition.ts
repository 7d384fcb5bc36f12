import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument } from "../../lib/iam";
import type { Namer } from "../../lib/naming";

/**
 * The streaming jobs' keep-alive as Amazon States Language, built by a pure function so that tests
 * validate, map to IAM and execute exactly what is deployed.
 *
 * A scheduled Glue trigger that starts a running streaming job fails on the job's one concurrent
 * run, and every such failure is a FAILED run and an alarm (about 96 a day at 15 minutes). This
 * workflow looks before it starts: per job, the latest run (GetJobRuns, newest first); a run that
 * is starting, running, waiting or stopping is left alone; a job that never ran, or whose last run
 * ended SUCCEEDED, STOPPED, TIMEOUT, ERROR or EXPIRED, is started. A run that ended FAILED (after
 * Glue's own retries) is not restarted: its failure was e-mailed, and restarting broken code every
 * 15 minutes would only repeat the mail and the bill; `npm run jobs -- start` restarts it after
 * the fix. StartJobRun racing another start (ConcurrentRunsExceededException) means it runs: done.
 *
 * The jobs are found at run time, not listed here: Glue's ListJobs returns the jobs that carry the
 * environment's tags and `job-kind = streaming` ({@link streamingJobTags}), which every pipeline's
 * streaming job carries. So the keep-alive lives in the environment's core stack and stays the
 * same when a pipeline stack adds or removes a job (docs/stacks.md).
 */

/** The tag every Glue job carries to say which kind it is; the keep-alive finds streaming jobs by it. */
export const JOB_KIND_TAG = "job-kind";

/** The tags ListJobs filters on: this environment's streaming jobs, and no other environment's. */
export function streamingJobTags(environment: string): Readonly<Record<string, string>> {
  return { environment, [JOB_KIND_TAG]: "streaming" };
}

/** The keep-alive may look up and start only jobs named like an environment's streaming jobs (`Namer` kind `glueJob`). */
export function streamingJobNamePattern(namer: Namer): string {
  return `${namer.prefix}-*-streaming`;
}

/** Glue job run states in which the job is alive (Glue API, JobRun.JobRunState). */
export const ACTIVE_RUN_STATES = ["STARTING", "RUNNING", "STOPPING", "WAITING"] as const;
/** The one ended state the keep-alive leaves alone. */
export const NOT_RESTARTED_STATE = "FAILED";

export const KEEP_ALIVE_STATE = {
  jobs: "ListStreamingJobs",
  each: "EachStreamingJob",
  morePages: "MoreJobs",
  nextPage: "ListMoreStreamingJobs",
  done: "Done",
  latest: "LatestRun",
  decide: "Decide",
  alive: "JobIsAlive",
  failed: "FailedRunStaysStopped",
  start: "StartJob",
  started: "Started",
  raced: "AlreadyStarted",
} as const;

/** Job names per ListJobs page (Glue's maximum is 1000). */
export const LIST_JOBS_PAGE_SIZE = 100;
/** Look-ups retry what Glue says is passing. */
const GLUE_LOOKUP_RETRY = [{ ErrorEquals: ["Glue.ThrottlingException", "Glue.InternalServiceException", "States.Timeout"], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }];

/** The workflow that keeps the streaming jobs carrying `tags` running (see {@link streamingJobTags}). */
export function keepAliveDefinition(tags: Readonly<Record<string, string>>) {
  if (Object.keys(tags).length === 0) throw new Error("keepAliveDefinition: no tags: the keep-alive would start every job of the account");
  const S = KEEP_ALIVE_STATE;
  const state = "$.latest.runs[0].JobRunState";
  const list = (next: boolean) => ({
    Type: "Task",
    Resource: "arn:aws:states:::aws-sdk:glue:listJobs",
    Parameters: { Tags: { ...tags }, MaxResults: LIST_JOBS_PAGE_SIZE, ...(next ? { "NextToken.$": "$.listed.NextToken" } : {}) },
    // The whole answer: NextToken is absent on the last page, which a ResultSelector could not take.
    ResultPath: "$.listed",
    Retry: GLUE_LOOKUP_RETRY,
    Next: S.each,
  });
  return {
    Comment: "Keeps the environment's streaming jobs running without colliding with a running run (see modules/streaming/README.md)",
    StartAt: S.jobs,
    States: {
      [S.jobs]: list(false),
      [S.nextPage]: list(true),
      [S.each]: {
        Type: "Map",
        ItemsPath: "$.listed.JobNames",
        ItemSelector: { "jobName.$": "$$.Map.Item.Value" },
        ResultPath: null,
        MaxConcurrency: 0,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: S.latest,
          States: {
            [S.latest]: {
              Type: "Task",
              Resource: "arn:aws:states:::aws-sdk:glue:getJobRuns",
              Parameters: { "JobName.$": "$.jobName", MaxResults: 1 },
              ResultSelector: { "count.$": "States.ArrayLength($.JobRuns)", "runs.$": "$.JobRuns" },
              ResultPath: "$.latest",
              Retry: GLUE_LOOKUP_RETRY,
              Next: S.decide,
            },
            [S.decide]: {
              Type: "Choice",
              Choices: [
                { Variable: "$.latest.count", NumericEquals: 0, Next: S.start },
                { Or: ACTIVE_RUN_STATES.map((value) => ({ Variable: state, StringEquals: value })), Next: S.alive },
                { Variable: state, StringEquals: NOT_RESTARTED_STATE, Next: S.failed },
              ],
              Default: S.start,
            },
            [S.alive]: { Type: "Succeed" },
            [S.failed]: { Type: "Succeed", Comment: "Its failure was e-mailed; a person restarts it after the fix" },
            [S.start]: {
              Type: "Task",
              Resource: "arn:aws:states:::aws-sdk:glue:startJobRun",
              Parameters: { "JobName.$": "$.jobName" },
              ResultPath: null,
              Retry: [{ ErrorEquals: ["Glue.ThrottlingException", "Glue.InternalServiceException"], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
              Catch: [{ ErrorEquals: ["Glue.ConcurrentRunsExceededException"], ResultPath: null, Next: S.raced }],
              Next: S.started,
            },
            [S.started]: { Type: "Succeed" },
            [S.raced]: { Type: "Succeed", Comment: "Another start won the race: the job runs" },
          },
        },
        Next: S.morePages,
      },
      [S.morePages]: {
        Type: "Choice",
        // Glue leaves NextToken out on the last page.
        Choices: [{ Variable: "$.listed.NextToken", IsPresent: true, Next: S.nextPage }],
        Default: S.done,
      },
      [S.done]: { Type: "Succeed" },
    },
  };
}

const LOG_DELIVERY = "Step Functions delivers execution logs through the account-wide vended-logs API (iam-data: no resource types)";
const TRACING = "X-Ray trace segments and sampling have no resource (iam-data: wildcard only)";

/** The keep-alive role's actions on `*`, each with why AWS offers nothing narrower. */
export const KEEP_ALIVE_UNSCOPABLE_ACTIONS: Readonly<Record<string, string>> = {
  "glue:ListJobs": "listing jobs by tag concerns no one job (iam-data: wildcard only); it returns names, nothing the jobs hold",
  "logs:CreateLogDelivery": LOG_DELIVERY,
  "logs:DeleteLogDelivery": LOG_DELIVERY,
  "logs:DescribeLogGroups": LOG_DELIVERY,
  "logs:DescribeResourcePolicies": LOG_DELIVERY,
  "logs:GetLogDelivery": LOG_DELIVERY,
  "logs:ListLogDeliveries": LOG_DELIVERY,
  "logs:PutResourcePolicy": LOG_DELIVERY,
  "logs:UpdateLogDelivery": LOG_DELIVERY,
  "xray:GetSamplingRules": TRACING,
  "xray:GetSamplingTargets": TRACING,
  "xray:PutTelemetryRecords": TRACING,
  "xray:PutTraceSegments": TRACING,
};

/** The keep-alive's role: find the streaming jobs, look up and start only jobs named like them; deliver its logs and traces. */
export function keepAliveRolePolicy(arns: Arns, jobNamePattern: string): PolicyDocument {
  const unscopable = Object.keys(KEEP_ALIVE_UNSCOPABLE_ACTIONS);
  return policyDocument(
    allow("FindStreamingJobs", unscopable.filter((a) => a.startsWith("glue:")), ["*"]),
    allow("LookUpAndStartStreamingJobs", ["glue:GetJobRuns", "glue:StartJobRun"], [arns.glue(`job/${jobNamePattern}`)]),
    allow("DeliverExecutionLogs", unscopable.filter((a) => a.startsWith("logs:")), ["*"]),
    allow("Tracing", unscopable.filter((a) => a.startsWith("xray:")), ["*"]),
  );
}

/** The schedule's role: start the keep-alive, and write undeliverable invocations to its encrypted queue. */
export function keepAliveSchedulePolicy(stateMachineArn: string, deadLetterQueueArn: string, kmsKeyArn: string): PolicyDocument {
  return policyDocument(
    allow("StartKeepAlive", ["states:StartExecution"], [stateMachineArn]),
    allow("DeadLetters", ["sqs:SendMessage"], [deadLetterQueueArn]),
    allow("PlatformKey", ["kms:Decrypt", "kms:GenerateDataKey"], [kmsKeyArn]),
  );
}
