import type { StreamingJobMode, UsageProfile } from "../../environments/schema";
import { HOURS_PER_MONTH, runsPerMonth } from "./schedule";
import type { SynthResource } from "./synthesized";

/** What the pricing of one resource may need to know about the rest of its environment. */
export interface EnvironmentFacts {
  readonly environment: string;
  readonly region: string;
  readonly jobMode: StreamingJobMode;
  readonly profile: UsageProfile;
  /** Hours a month each streaming job runs at the profile (from the switch and the profile). */
  readonly streamingJobHours: number;
  /** Hours a month each streaming job runs with no data flowing: always-on jobs run anyway. */
  readonly floorStreamingJobHours: number;
  /** Workers a quiet streaming job runs with (auto scaling's floor, `streaming.workers`). */
  readonly baselineWorkers: number;
  /** Pipelines, by their streams. */
  readonly pipelines: readonly string[];
  readonly eventsPerSecondPerPipeline: number;
  /** Streaming window of each pipeline's job, in seconds. */
  readonly windowSecondsByPipeline: Readonly<Record<string, number>>;
  /**
   * Warehouse loads an hour of each pipeline whose streaming job loads the warehouse, while data
   * flows: from the job's `--warehouse_load_interval_minutes` and window (`warehouseLoadsPerHour`).
   */
  readonly warehouseLoadsPerHourByPipeline: Readonly<Record<string, number>>;
  /** Runs a month of each Glue job, from its enabled SCHEDULED triggers. */
  readonly scheduledRunsByJob: Readonly<Record<string, number>>;
  /** Runs a month of each pipeline's batch job, from its enabled SCHEDULED triggers. */
  readonly batchRunsByPipeline: Readonly<Record<string, number>>;
  /** Runs a month of each pipeline's catalog catch-up (enabled schedules only). */
  readonly catchUpRunsByPipeline: Readonly<Record<string, number>>;
  /** Runs a month of the streaming jobs' keep-alive (0 where there is none). */
  readonly keepAliveRunsPerMonth: number;
  readonly streamingJobCount: number;
  /** Budgets of the account, in address order: the first two are free. */
  readonly budgetAddresses: readonly string[];
}

export interface FactsInput {
  readonly environment: string;
  readonly region: string;
  readonly jobMode: StreamingJobMode;
  readonly profile: UsageProfile;
  readonly baselineWorkers: number;
  readonly defaultWindowSeconds: number;
}

/** The pipeline a resource belongs to: the construct path's second part under `streaming/` and `catalog/`. */
export function pipelineOf(resource: SynthResource): string | undefined {
  const [module, pipeline] = resource.path.split("/");
  return (module === "streaming" || module === "catalog") && pipeline ? pipeline : undefined;
}

/**
 * The job a trigger action starts: actions name their job by reference (`${aws_glue_job.<id>.name}`,
 * so that Terraform creates the job first); the job's own config holds the name.
 */
function jobNameOf(value: string, glueJobs: readonly SynthResource[]): string {
  const reference = /^\$\{aws_glue_job\.([^.}]+)\.name\}$/.exec(value);
  if (!reference) return value;
  const job = glueJobs.find((j) => j.address === `aws_glue_job.${reference[1]}`);
  return job ? String(job.config.name) : value;
}

/**
 * Loads an hour of a streaming job while every window has data. A load takes everything pending
 * once the oldest batch waited the interval; the next batch comes a window later and waits the
 * interval in whole windows: a load every `window × (1 + ⌈interval / window⌉)` seconds. Interval
 * 0 (or a job without the argument, as before the cadence existed): every window loads.
 */
export function warehouseLoadsPerHour(intervalMinutes: number, windowSeconds: number): number {
  return 3600 / (windowSeconds * (1 + Math.ceil((intervalMinutes * 60) / windowSeconds)));
}

/** Derives the facts from the environment's resources and configuration: a pure function. */
export function environmentFacts(resources: readonly SynthResource[], input: FactsInput): EnvironmentFacts {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const streams = of("aws_kinesis_stream");
  const pipelines = streams.map((s) => pipelineOf(s) ?? s.config.name);
  const glueJobs = of("aws_glue_job");
  const streamingJobs = glueJobs.filter((j) => j.config.command?.name === "gluestreaming");

  const windowSecondsByPipeline: Record<string, number> = {};
  for (const job of streamingJobs) {
    const window = Number(job.config.default_arguments?.["--window_seconds"]);
    windowSecondsByPipeline[pipelineOf(job) ?? job.config.name] = Number.isFinite(window) && window > 0 ? window : input.defaultWindowSeconds;
  }

  const warehouseLoadsPerHourByPipeline: Record<string, number> = {};
  for (const job of streamingJobs) {
    const args = job.config.default_arguments ?? {};
    if (args["--warehouse_enabled"] !== "true") continue;
    const pipeline = pipelineOf(job) ?? job.config.name;
    const interval = Number(args["--warehouse_load_interval_minutes"] ?? 0);
    warehouseLoadsPerHourByPipeline[pipeline] = warehouseLoadsPerHour(Number.isFinite(interval) ? interval : 0, windowSecondsByPipeline[pipeline]);
  }

  const scheduledRunsByJob: Record<string, number> = {};
  for (const trigger of of("aws_glue_trigger")) {
    if (trigger.config.type !== "SCHEDULED" || trigger.config.enabled === false) continue;
    const runs = runsPerMonth(trigger.config.schedule);
    for (const action of trigger.config.actions ?? []) {
      const job = jobNameOf(action.job_name, glueJobs);
      scheduledRunsByJob[job] = (scheduledRunsByJob[job] ?? 0) + runs;
    }
  }

  const batchRunsByPipeline: Record<string, number> = {};
  for (const job of glueJobs.filter((j) => j.config.command?.name !== "gluestreaming")) {
    batchRunsByPipeline[pipelineOf(job) ?? job.config.name] = scheduledRunsByJob[job.config.name] ?? 0;
  }

  const catchUpRunsByPipeline: Record<string, number> = {};
  let keepAliveRunsPerMonth = 0;
  for (const schedule of of("aws_scheduler_schedule")) {
    const runs = schedule.config.state === "DISABLED" ? 0 : runsPerMonth(schedule.config.schedule_expression);
    const pipeline = pipelineOf(schedule);
    if (schedule.module === "catalog" && pipeline) catchUpRunsByPipeline[pipeline] = (catchUpRunsByPipeline[pipeline] ?? 0) + runs;
    else if (schedule.module === "streaming") keepAliveRunsPerMonth += runs;
  }

  const profileHours = input.jobMode === "always-on" ? HOURS_PER_MONTH : input.jobMode === "on-demand" ? input.profile.streamingJobHoursPerMonth : 0;
  return {
    environment: input.environment,
    region: input.region,
    jobMode: input.jobMode,
    profile: input.profile,
    streamingJobHours: profileHours,
    floorStreamingJobHours: input.jobMode === "always-on" ? HOURS_PER_MONTH : 0,
    baselineWorkers: input.baselineWorkers,
    pipelines,
    eventsPerSecondPerPipeline: pipelines.length ? input.profile.eventsPerSecond / pipelines.length : 0,
    windowSecondsByPipeline,
    warehouseLoadsPerHourByPipeline,
    scheduledRunsByJob,
    batchRunsByPipeline,
    catchUpRunsByPipeline,
    keepAliveRunsPerMonth,
    streamingJobCount: streamingJobs.length,
    budgetAddresses: of("aws_budgets_budget").map((b) => b.address).sort(),
  };
}
