/**
 * What the estimate assumes beyond the price table and the environment's usage profile. Every
 * figure here is printed with the estimate (`assumptionNotes`), so a reader can disagree with it.
 */
export const ASSUMPTIONS = {
  /** A scheduled batch sweep that finds nothing new: start-up and the bookmark check, billed per second. */
  batchRunBilledMinutes: 2,
  /** Glue bills a crawler run at least ten minutes; a crawl of one new prefix takes no longer. */
  crawlerRunMinutes: 10,
  /** DPUs a crawler run of one small prefix uses. */
  crawlerRunDpu: 2,
  /** Redshift Serverless bills at least 60 seconds each time it works; one load (MERGE and view refresh) takes less. */
  warehouseMinimumSeconds: 60,
  /** Curated Parquet (Snappy) bytes per byte of JSON event. */
  parquetBytesPerEventByte: 0.3,
  /** Redshift managed storage bytes per byte of JSON event (masked columns, compressed). */
  warehouseBytesPerEventByte: 0.25,
  /** Log volume of one running Glue job (its `<prefix>/error` group: Spark's, Glue's and the job's own messages). */
  glueLogMbPerJobHour: 20,
  /** VPC flow-log records of the ENIs of one running Glue job. */
  flowLogMbPerJobHour: 5,
  /** Objects a streaming job writes to the curated zone per window (one hourly partition). */
  curatedObjectsPerWindow: 1,
  /** State transitions of a catalog workflow execution that stops at its first checks (partition known, crawler busy). */
  catalogEventTransitions: 6,
  /** State transitions of a catalog execution that crawls and refreshes (about twenty 30-second polls of a 10-minute crawl). */
  catalogCrawlTransitions: 70,
  /**
   * State transitions of a keep-alive execution: the job listing (one page below 100 jobs), the
   * map, the page check and the end, plus the look-up and decision per job.
   */
  keepAliveFixedTransitions: 4,
  keepAliveTransitionsPerJob: 4,
} as const;

/** Each assumption as a sentence, as the report prints it. */
export function assumptionNotes(): string[] {
  const a = ASSUMPTIONS;
  return [
    "A month is 730 hours (AWS's pricing pages); prices are on-demand list prices without free tiers, except the two free budgets of an account.",
    "Idle floor: no data flowing. Always-on streaming jobs still run (they bill whether or not data arrives); schedules still fire.",
    "The profile's events spread evenly over the environment's streams; the streaming jobs process what arrives while they run.",
    `A scheduled batch sweep that finds nothing new bills ${a.batchRunBilledMinutes} minutes at its workers.`,
    `A crawler run bills its ${a.crawlerRunMinutes}-minute minimum at ${a.crawlerRunDpu} DPU; the catalog workflow crawls once per new hourly partition and once per catch-up run.`,
    `Redshift Serverless bills ${a.warehouseMinimumSeconds} s at its base capacity for each load, refresh or query; arriving at random, overlapping ones bill once: busy time = month × (1 − e^(−total/month)).`,
    `Stored data: one month of the profile (curated Parquet ${a.parquetBytesPerEventByte} and warehouse ${a.warehouseBytesPerEventByte} bytes per event byte); storage grows by this each month.`,
    `Logs: ${a.glueLogMbPerJobHour} MB per Glue job-hour of logs (the job's error group; its output group holds only stdout) and ${a.flowLogMbPerJobHour} MB of flow-log records; log storage and API requests (KMS, Secrets Manager, S3 GET) are below a cent at these volumes and not estimated.`,
    `Streaming jobs write ${a.curatedObjectsPerWindow} curated object per window; each object event runs the catalog workflow (${a.catalogEventTransitions} transitions, ${a.catalogCrawlTransitions} when it crawls).`,
  ];
}
