import type { EventPattern } from "../../lib/event-pattern";
import { type Namer, pipelineNamePattern } from "../../lib/naming";

/**
 * Glue job failures as EventBridge sees them: `aws.glue` "Glue Job State Change" events (shape in
 * the AWS Glue developer guide, "Automating AWS Glue with EventBridge": `detail.jobName`,
 * `detail.state`, `detail.jobRunId`, `detail.message`).
 */

/** States that end a run badly, for every job. */
export const FAILED_JOB_STATES = ["FAILED", "TIMEOUT", "ERROR"] as const;
/** A streaming job runs until stopped: STOPPED is a failure too (nobody reads the stream). */
export const FAILED_STREAMING_JOB_STATES = [...FAILED_JOB_STATES, "STOPPED"] as const;

export type GlueJobKind = "streaming" | "batch";

/**
 * The bad states of one kind of job. STOPPED is a failure only for streaming jobs that are meant to
 * run all the time (`keptRunning`): where jobs run on demand, stopping them is the normal end.
 */
export function failedStates(kind: GlueJobKind, keptRunning = true): readonly string[] {
  return kind === "streaming" && keptRunning ? FAILED_STREAMING_JOB_STATES : FAILED_JOB_STATES;
}

/** Every pipeline's job of one kind in the environment, as a wildcard: `dp-prod-*-streaming`. */
export function glueJobNamePattern(namer: Namer, kind: GlueJobKind): string {
  return pipelineNamePattern((pipeline) => namer.name("glueJob", pipeline, kind));
}

/**
 * The pattern of a failure rule: every job named like the environment's jobs of the kind (names
 * are per environment, so another environment's jobs never match; pipelines added later match
 * without a change to the rule), in one of the kind's bad states.
 */
export function glueJobFailurePattern(jobNamePattern: string, kind: GlueJobKind, keptRunning = true): EventPattern {
  if (!jobNamePattern.includes("*")) throw new Error(`glueJobFailurePattern: "${jobNamePattern}" is no wildcard; the rule must match every ${kind} job of the environment`);
  return {
    source: ["aws.glue"],
    "detail-type": ["Glue Job State Change"],
    detail: { jobName: [{ wildcard: jobNamePattern }], state: [...failedStates(kind, keptRunning)] },
  };
}

/** What the alarm message shows, and where EventBridge finds it in the event. */
export const GLUE_JOB_EVENT_INPUT_PATHS = {
  job: "$.detail.jobName",
  state: "$.detail.state",
  runId: "$.detail.jobRunId",
  message: "$.detail.message",
  account: "$.account",
  region: "$.region",
  time: "$.time",
} as const;

/**
 * The message e-mailed to the alarm topic's subscribers: a JSON string template, so SNS delivers
 * plain text. EventBridge escapes the values it inserts, so a message with quotes stays valid.
 */
export function glueJobFailureTemplate(environment: string, kind: GlueJobKind): string {
  return JSON.stringify(
    `[${environment}] Glue ${kind} job <job> is <state> (run <runId>, <time>, account <account>, <region>): <message>`,
  );
}
