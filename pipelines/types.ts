/**
 * The self-service surface: what a team writes to onboard a pipeline. One file per pipeline in
 * this folder exports a {@link PipelineDefinition}; `pipelines/index.ts` lists them. Everything
 * downstream (contract, streams, jobs, tables, crawlers, data sets) is derived from these files.
 *
 * Names (pipeline, fields, references, tables, views) are lowercase snake_case so that they are
 * valid, unquoted, in Glue, Athena, Redshift and S3 alike.
 */

/** Event field types; `decimal(p,s)` with 1 <= p <= 38 and 0 <= s <= p. */
export type ScalarType = "string" | "int" | "long" | "double" | "boolean" | "date" | "timestamp";
export type DecimalType = `decimal(${number},${number})`;
export type FieldType = ScalarType | DecimalType;

export interface FieldDefinition {
  /** Column name, lowercase snake_case. */
  readonly name: string;
  /** Value type; see {@link FieldType}. */
  readonly type: FieldType;
  /** A record without this field (or with null) is quarantined. @default false */
  readonly required?: boolean;
  /** What the field means; becomes the column comment in Glue, Redshift and QuickSight. */
  readonly description: string;
  /** Strings only: longer values are quarantined. @default 1024 */
  readonly maxLength?: number;
}

/** What kind of personal data a field holds; decides how `mask`/`partial` look. */
export type PiiClassification = "email" | "phone" | "credit_card" | "ip_address" | "person_name" | "free_text";
/** In the lake (restricted readers): keep as is, SHA-256 with a pepper, partial mask, or leave out. */
export type LakeAction = "keep" | "hash" | "mask" | "drop";
/** In the warehouse (analysts, BI): never the clear value. */
export type WarehouseAction = "hash" | "redact" | "partial" | "drop";

export interface SensitiveField {
  readonly classification: PiiClassification;
  readonly lake: LakeAction;
  readonly warehouse: WarehouseAction;
}

/**
 * What the jobs look for in the content of every string column, declared or not (docs/contract.md,
 * "Detection in content"). In detection order: a value is counted as the first entity that claims it.
 */
export const DETECTED_ENTITIES = ["email", "aws_access_key", "iban", "ipv6", "ipv4", "credit_card", "us_ssn", "phone"] as const;
export type DetectedEntity = (typeof DETECTED_ENTITIES)[number];
/** In the warehouse: the entity's token (`[EMAIL]`…) or the keyed hash the masking uses. Never the clear value. */
export type DetectionWarehouseAction = "redact" | "hash";
/** In the lake: as in the warehouse, or kept in clear (the lake's readers are restricted). */
export type DetectionLakeAction = "keep" | "redact" | "hash";

export interface DetectionEntityActions {
  /** @default the definition's `detection.warehouse` */
  readonly warehouse?: DetectionWarehouseAction;
  /** @default the definition's `detection.lake`, else this entity's warehouse action */
  readonly lake?: DetectionLakeAction;
}

export interface DetectionDefinition {
  /** What the warehouse does with every detected value. @default "redact" */
  readonly warehouse?: DetectionWarehouseAction;
  /** What the lake does with every detected value. @default each entity's warehouse action */
  readonly lake?: DetectionLakeAction;
  /** Per entity type, over the two defaults above. @default none */
  readonly entities?: Readonly<Partial<Record<DetectedEntity, DetectionEntityActions>>>;
  /**
   * Columns not scanned at all, each with the reason a reviewer reads (e.g. "product codes that
   * look like IBANs"). Their values reach both sinks as they are. @default none
   */
  readonly exempt?: Readonly<Record<string, { readonly reason: string }>>;
  /**
   * Columns known to carry some entity types: still masked and counted, but detections of these
   * types there raise no alarm. Any other detection in any column is unexpected. @default none
   */
  readonly expected?: Readonly<Record<string, readonly DetectedEntity[]>>;
}

export type ReferenceFormat = "csv" | "json";

/** Reference data either lives in this repository (shipped at deploy) or in an existing S3 prefix. */
export type ReferenceSource =
  | {
      readonly kind: "file";
      /** File name under `pipelines/reference-data/`. */
      readonly file: string;
      readonly format: ReferenceFormat;
    }
  | {
      readonly kind: "s3";
      /** `s3://bucket/prefix/`, readable by the jobs. */
      readonly uri: string;
      readonly format: ReferenceFormat;
      /** Column names of the data at that prefix (it cannot be read at synthesis). */
      readonly columns: readonly string[];
    };

export interface ReferenceColumn {
  /** Column in the reference data. */
  readonly name: string;
  /** Column name it gets in the output. @default `<reference>_<name>` */
  readonly as?: string;
  /** Its type. @default "string" */
  readonly type?: FieldType;
  readonly description: string;
}

export interface ReferenceDataset {
  /** Also the name of its Spark SQL view. */
  readonly name: string;
  readonly source: ReferenceSource;
  /** `event`: a field of the event; `reference`: a column of the reference data. */
  readonly joinKey: { readonly event: string; readonly reference: string };
  /** Columns added to each event (left join: unmatched events get nulls). */
  readonly columns: readonly ReferenceColumn[];
}

export interface TransformDefinition {
  /**
   * Spark SQL over the views `events` and each reference by name. Must return every column of
   * `events` plus {@link columns}, e.g. `SELECT events.*, upper(ticket_type) AS tier FROM events`.
   */
  readonly sql: string;
  /** The columns the SQL adds. */
  readonly columns: readonly FieldDefinition[];
}

export type Aggregate = "count" | "count_distinct" | "sum" | "min" | "max" | "avg";

export interface Measure {
  /** Output column name. */
  readonly name: string;
  readonly aggregate: Aggregate;
  /** Column aggregated; omit for `count` (counts rows). */
  readonly column?: string;
  readonly description: string;
}

/** A materialized view over the pipeline's warehouse table: group by columns, compute measures. */
export interface MaterializedViewDefinition {
  readonly name: string;
  readonly description: string;
  readonly groupBy: readonly string[];
  readonly measures: readonly Measure[];
}

export type DistStyle = "auto" | "even" | "key" | "all";

export interface WarehouseDefinition {
  /** Table name in the platform's schema. @default the pipeline name */
  readonly table?: string;
  /** Compound sort key, leading column first. @default [event time field] */
  readonly sortKey?: readonly string[];
  /** @default "auto" */
  readonly distStyle?: DistStyle;
  /** Required when distStyle is "key". */
  readonly distKey?: string;
  /** @default none */
  readonly materializedViews?: readonly MaterializedViewDefinition[];
}

export type GeographicRole = "COUNTRY" | "STATE" | "COUNTY" | "CITY" | "POSTCODE" | "LONGITUDE" | "LATITUDE";

export interface BiDefinition {
  /** Publish a QuickSight data set (Direct Query) for this pipeline. */
  readonly publish: boolean;
  /** What the data set reads: "table", or the name of one of the materialized views. @default "table" */
  readonly source?: string;
  /** Columns QuickSight should map. @default none */
  readonly geographic?: readonly { readonly column: string; readonly role: GeographicRole }[];
  /** Data set display name. @default the pipeline description */
  readonly friendlyName?: string;
  /** Alternative words per column, for QuickSight Q. @default none */
  readonly synonyms?: Readonly<Record<string, readonly string[]>>;
}

/** Per-environment settings a pipeline may override; unset values come from the environment. */
export interface PipelineEnvironmentOverrides {
  /** @default true */
  readonly enabled?: boolean;
  readonly capacityMode?: "ON_DEMAND" | "PROVISIONED";
  readonly shards?: number;
  readonly streamRetentionHours?: number;
  readonly windowSeconds?: number;
  readonly workerType?: "G.025X" | "G.1X" | "G.2X" | "G.4X" | "G.8X";
  readonly workers?: number;
  readonly maxWorkers?: number;
}

export interface PipelineDefinition {
  /** Lowercase snake_case, at most 40 characters; names every resource of the pipeline. */
  readonly name: string;
  /** Owning team; paged for its quarantine and failures. */
  readonly owner: string;
  readonly description: string;
  readonly schema: {
    readonly fields: readonly FieldDefinition[];
    /** De-duplication and warehouse MERGE key: a required string, int or long field. */
    readonly eventId: string;
    /** Partitioning time (UTC): a required timestamp field. Never processing time. */
    readonly eventTime: string;
    /** Accept and ignore undeclared keys instead of quarantining the record. @default false */
    readonly allowUnknownFields?: boolean;
    /** Raw records larger than this are quarantined. @default 262144 */
    readonly maxRecordBytes?: number;
  };
  /** Per field name. @default none */
  readonly sensitive?: Readonly<Record<string, SensitiveField>>;
  /** What happens to sensitive values found in the content of the other string columns. @default every entity redacted in both sinks */
  readonly detection?: DetectionDefinition;
  /** @default none */
  readonly references?: readonly ReferenceDataset[];
  /** @default none */
  readonly transform?: TransformDefinition;
  /** Omit for a lake-only pipeline. */
  readonly warehouse?: WarehouseDefinition;
  /** @default not published */
  readonly bi?: BiDefinition;
  /**
   * How the catalog learns partitions: a crawler over the curated prefix (schema changes are
   * discovered), or a table declared from the contract with partition projection (no crawler
   * runs at all; the schema changes only through a deploy). @default "crawler"
   */
  readonly catalog?: { readonly mode: "crawler" | "projection" };
  /** Keyed by environment name. @default enabled everywhere with the environment's settings */
  readonly environments?: Readonly<Record<string, PipelineEnvironmentOverrides>>;
}

/** Identity function that gives a definition file type-checking and editor completion. */
export function definePipeline<const T extends PipelineDefinition>(definition: T): T {
  return definition;
}
