import type { Environment } from "../environments";

/**
 * The catalog automation's settings that come from the environment alone: the core's shared part
 * (`CatalogAutomation`) and every pipeline's own (`PipelineCatalog`) take the same, from here.
 */
export function catalogEnvironmentSettings(env: Environment) {
  return {
    crawlerPollSeconds: env.catalog.crawlerPollSeconds,
    crawlerMaxPolls: env.catalog.crawlerMaxPolls,
    catchUpSchedule: env.catalog.catchUpSchedule,
    // Only always-on jobs write every night; elsewhere `npm run jobs -- stop` runs the catch-up.
    catchUpEnabled: env.streaming.jobs === "always-on",
    logRetentionDays: env.retention.logDays,
    includeExecutionData: env.observability.stepFunctionsIncludeExecutionData,
    preventDestroy: env.protection.preventDestroy,
  };
}
