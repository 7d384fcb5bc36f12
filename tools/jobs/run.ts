import { BatchStopJobRunCommand, GetJobRunsCommand, StartJobRunCommand } from "@aws-sdk/client-glue";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { StreamingJobMode } from "../../environments/schema";
import { ACTIVE_RUN_STATES } from "../../modules/streaming/keep-alive-definition";
import type { JobsCommand } from "./args";

/** What the tool acts on in one environment: computed from configuration, never looked up. */
export interface JobTargets {
  readonly environment: string;
  readonly mode: StreamingJobMode;
  readonly jobs: readonly { readonly pipeline: string; readonly jobName: string }[];
  /** Each pipeline's catalog workflow, and the input of a catch-up execution. */
  readonly catchUps: readonly { readonly pipeline: string; readonly stateMachineArn: string; readonly input: string }[];
}

/** The part of an SDK client the tool uses: tests pass fakes. */
export interface SendsCommands {
  send(command: object): Promise<any>;
}

export class JobsRefusal extends Error {
  override readonly name = "JobsRefusal";
}

/** Why `command` may not run in an environment of `mode`, or undefined when it may. */
export function refusal(command: JobsCommand, mode: StreamingJobMode, environment: string, force: boolean): string | undefined {
  if (command === "start" && mode === "off") {
    return `streaming.jobs is "off" in ${environment}: its VPC has no interface endpoints, so a job could not reach Kinesis, Secrets Manager or CloudWatch. Set streaming.jobs to "on-demand" in environments/${environment}.ts and deploy (npm run cost shows what the endpoints add), then start the jobs.`;
  }
  if (command === "stop" && mode === "always-on" && !force) {
    return `streaming.jobs is "always-on" in ${environment}: the keep-alive would start the jobs again within 15 minutes. Set streaming.jobs to "on-demand" and deploy to stop them for good, or pass --force to stop them until then.`;
  }
  return undefined;
}

/** Runs one command against Glue (and Step Functions for the catch-up); returns the lines to print. */
export async function runJobs(command: JobsCommand, targets: JobTargets, clients: { glue: SendsCommands; sfn: SendsCommands }, options: { catchUp: boolean }): Promise<string[]> {
  const lines: string[] = [];
  for (const { jobName } of targets.jobs) {
    const { JobRuns = [] } = await clients.glue.send(new GetJobRunsCommand({ JobName: jobName, MaxResults: 1 }));
    const latest = JobRuns[0] as { Id?: string; JobRunState?: string; StartedOn?: Date } | undefined;
    const active = latest && (ACTIVE_RUN_STATES as readonly string[]).includes(latest.JobRunState ?? "");
    if (command === "status") {
      lines.push(`${jobName}: ${latest ? `${latest.JobRunState} (run ${latest.Id}${latest.StartedOn ? `, started ${new Date(latest.StartedOn).toISOString()}` : ""})` : "never ran"}`);
    } else if (command === "start") {
      if (active) lines.push(`${jobName}: already ${latest!.JobRunState} (run ${latest!.Id}), left alone`);
      else {
        const { JobRunId } = await clients.glue.send(new StartJobRunCommand({ JobName: jobName }));
        lines.push(`${jobName}: started (run ${JobRunId})`);
      }
    } else if (active && latest!.JobRunState !== "STOPPING") {
      await clients.glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [latest!.Id!] }));
      lines.push(`${jobName}: stopping run ${latest!.Id}`);
    } else lines.push(`${jobName}: not running (${latest?.JobRunState ?? "never ran"})`);
  }
  if (command === "stop" && options.catchUp) {
    for (const catchUp of targets.catchUps) {
      const { executionArn } = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: catchUp.stateMachineArn, input: catchUp.input }));
      lines.push(`${catchUp.pipeline}: catalog catch-up started (${executionArn})`);
    }
  }
  return lines;
}
