import type { EventPattern } from "../../lib/event-pattern";
import { encodedPartitionDataFileGlob, partitionDataFileGlob } from "./workflow-definition";

/**
 * The pattern of a pipeline's new-object rule: S3 `Object Created` in the curated bucket, under
 * the pipeline's partition folders, Parquet data files only. The wildcard pins the layout the jobs
 * write (`<pipeline>/year=…/month=…/day=…/hour=…/<file>.parquet`, `.snappy.parquet` included), so
 * Spark's `<pipeline>/_temporary/…`, `_SUCCESS` markers, `.crc` side files, `_$folder$` markers and
 * other prefixes never start an execution. S3 sends the key URL-encoded (`year%3D2026/...`,
 * lib/s3-event-key.ts), so the pattern lists that form, and the decoded one besides.
 */
export function curatedObjectPattern(bucketName: string, pipeline: string): EventPattern {
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Created"],
    detail: {
      bucket: { name: [bucketName] },
      object: { key: [{ wildcard: encodedPartitionDataFileGlob(pipeline) }, { wildcard: partitionDataFileGlob(pipeline) }] },
    },
  };
}

/** The execution input the rule's target sends: only what the workflow reads. */
export const OBJECT_EVENT_INPUT_PATHS = { bucket: "$.detail.bucket.name", key: "$.detail.object.key" } as const;

/**
 * Input template for the rule's target. Placeholders stay unquoted: EventBridge inserts string
 * values as quoted, escaped JSON strings, so an odd key cannot break the document.
 */
export function objectEventInputTemplate(pipeline: string): string {
  return `{"pipeline":${JSON.stringify(pipeline)},"bucket":<bucket>,"key":<key>,"catchUp":false}`;
}

/** The catch-up schedule's input: crawl whatever is new, then refresh the views. */
export function catchUpInput(pipeline: string): string {
  return JSON.stringify({ pipeline, catchUp: true });
}
