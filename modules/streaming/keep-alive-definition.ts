import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument } from "../../lib/iam";

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
 */

/** Glue job run states in which the job is alive (Glue API, JobRun.JobRunState). */
export const ACTIVE_RUN_STATES = ["STARTING", "RUNNING", "STOPPING", "WAITING"] as const;
/** The one ended state the keep-alive leaves alone. */
export const NOT_RESTARTED_STATE = "FAILED";

export const KEEP_ALIVE_STATE = {
  jobs: "StreamingJobs",
  each: "EachStreamingJob",
  latest: "LatestRun",
  decide: "Decide",
  alive: "JobIsAlive",
  failed: "FailedRunStaysStopped",
  start: "StartJob",
  started: "Started",
  raced: "AlreadyStarted",
} as const;

/** The workflow for the given streaming jobs. */
export function keepAliveDefinition(jobNames: readonly string[]) {
  if (jobNames.length === 0) throw new Error("keepAliveDefinition: no streaming job names: a keep-alive needs at least one job");
  const S = KEEP_ALIVE_STATE;
  const state = "$.latest.runs[0].JobRunState";
  return {
    Comment: "Keeps the platform's streaming jobs running without colliding with a running run (see modules/streaming/README.md)",
    StartAt: S.jobs,
    States: {
      [S.jobs]: { Type: "Pass", Result: { jobs: jobNames.map((jobName) => ({ jobName })) }, Next: S.each },
      [S.each]: {
        Type: "Map",
        ItemsPath: "$.jobs",
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
              Retry: [{ ErrorEquals: ["Glue.ThrottlingException", "Glue.InternalServiceException", "States.Timeout"], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
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
        End: true,
      },
    },
  };
}

const LOG_DELIVERY = "Step Functions delivers execution logs through the account-wide vended-logs API (iam-data: no resource types)";
const TRACING = "X-Ray trace segments and sampling have no resource (iam-data: wildcard only)";

/** The keep-alive role's actions on `*`, each with why AWS offers nothing narrower. */
export const KEEP_ALIVE_UNSCOPABLE_ACTIONS: Readonly<Record<string, string>> = {
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

/** The keep-alive's role: look up and start exactly these jobs; deliver its logs and traces. */
export function keepAliveRolePolicy(arns: Arns, jobNames: readonly string[]): PolicyDocument {
  const unscopable = Object.keys(KEEP_ALIVE_UNSCOPABLE_ACTIONS);
  return policyDocument(
    allow("LookUpAndStartStreamingJobs", ["glue:GetJobRuns", "glue:StartJobRun"], jobNames.map((name) => arns.glue(`job/${name}`))),
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
