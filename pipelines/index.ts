import { attendees } from "./attendees";
import { CompiledPipeline, compilePipelines } from "./compile";
import { sessionCheckins } from "./session-checkins";
import type { PipelineDefinition } from "./types";

export type { CompiledPipeline, ReferenceFile } from "./compile";
export type { PipelineSettings } from "./settings";
export { resolvePipelineSettings } from "./settings";
export * from "./types";

/** Every pipeline of the platform. `npm run new-pipeline` adds new ones here. */
export const PIPELINE_DEFINITIONS: readonly PipelineDefinition[] = [
  attendees,
  sessionCheckins,
];

/** Validated and compiled; throws {@link ConfigValidationError} listing every problem. */
export function loadPipelines(environmentNames: readonly string[]): CompiledPipeline[] {
  return compilePipelines(PIPELINE_DEFINITIONS, environmentNames);
}
