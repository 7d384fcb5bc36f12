import type { Namer } from "../../lib/naming";
import type { QueryPipeline } from "./named-queries";

export interface QueryProps {
  /** Names the workgroup and saved queries (`dp-<env>-…`). Required. */
  readonly namer: Namer;
  /** Bucket for query results (the lake's athena-results zone). Required. */
  readonly resultsBucketName: string;
  /** Platform key: results are SSE-KMS with it. Required. */
  readonly kmsKeyArn: string;
  /** Athena cancels a query that would scan more (the cost brake). Minimum 10 MB. Required. */
  readonly bytesScannedCutoffPerQuery: number;
  /** Glue database the saved queries read (the curated zone). Required. */
  readonly curatedDatabaseName: string;
  /** Pipelines whose saved queries are built here; the platform builds them in each pipeline's own stack and passes none. Required (may be empty). */
  readonly pipelines: readonly QueryPipeline[];
  /** Let `terraform destroy` delete the workgroup with its saved queries. @default false */
  readonly forceDestroy?: boolean;
}
