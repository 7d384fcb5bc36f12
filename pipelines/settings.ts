import type { Environment } from "../environments";
import type { PipelineDefinition } from "./types";

/** A pipeline's effective settings in one environment: its overrides over the environment's. */
export interface PipelineSettings {
  readonly enabled: boolean;
  readonly capacityMode: "ON_DEMAND" | "PROVISIONED";
  readonly shards: number;
  readonly streamRetentionHours: number;
  readonly windowSeconds: number;
  readonly workerType: "G.025X" | "G.1X" | "G.2X" | "G.4X" | "G.8X";
  /** Worker type of the batch job (the environment's; G.025X is for streaming jobs only). */
  readonly batchWorkerType: "G.1X" | "G.2X" | "G.4X" | "G.8X";
  readonly workers: number;
  readonly maxWorkers: number;
}

export function resolvePipelineSettings(def: PipelineDefinition, env: Environment): PipelineSettings {
  const o = def.environments?.[env.name] ?? {};
  return {
    enabled: o.enabled ?? true,
    capacityMode: o.capacityMode ?? env.streaming.capacityMode,
    shards: o.shards ?? env.streaming.shards,
    streamRetentionHours: o.streamRetentionHours ?? env.retention.streamHours,
    windowSeconds: o.windowSeconds ?? env.streaming.windowSeconds,
    workerType: o.workerType ?? env.streaming.workerType,
    batchWorkerType: env.streaming.batchWorkerType,
    workers: o.workers ?? env.streaming.workers,
    maxWorkers: Math.max(o.maxWorkers ?? env.streaming.maxWorkers, o.workers ?? env.streaming.workers),
  };
}
