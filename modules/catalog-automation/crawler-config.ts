/**
 * The crawler's `configuration` JSON. `InheritFromTable` keeps partitions on the table's schema
 * (no per-partition schema drift); `CombineCompatibleSchemas` keeps one table per pipeline even
 * when a new column appears in some files only.
 */
export function crawlerConfiguration(): string {
  return JSON.stringify({
    Version: 1.0,
    CrawlerOutput: {
      Partitions: { AddOrUpdateBehavior: "InheritFromTable" },
      Tables: { AddOrUpdateBehavior: "MergeNewColumns" },
    },
    Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" },
  });
}

/** Incremental crawls: only folders added since the last crawl, i.e. new partitions. */
export const RECRAWL_BEHAVIOR = "CRAWL_NEW_FOLDERS_ONLY";
/** AWS requires LOG/LOG with CRAWL_NEW_FOLDERS_ONLY: an incremental crawl never changes or deletes. */
export const SCHEMA_CHANGE_POLICY = { updateBehavior: "LOG", deleteBehavior: "LOG" } as const;

/** Where a pipeline's curated Parquet lives: the crawler's only target. */
export function curatedPath(bucketName: string, pipeline: string): string {
  return `s3://${bucketName}/${pipeline}/`;
}
