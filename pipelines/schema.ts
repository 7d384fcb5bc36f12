import { z } from "zod";
import { DETECTED_ENTITIES } from "./types";

/**
 * The shape of a pipeline definition, checked at run time too: definitions are TypeScript, but a
 * team may still write `type: "varchar"` through a cast or a generated file. Meaning (does the
 * event id exist, does the SQL name real views) is checked in `validate.ts`.
 */
const name = z.string();
const description = z.string().min(1, "needs a description: it becomes the column comment in Glue, Redshift and QuickSight");

export const FIELD_TYPE = /^(string|int|long|double|boolean|date|timestamp|decimal\((\d{1,2}),(\d{1,2})\))$/;
const fieldType = z.string().regex(FIELD_TYPE, "must be one of string, int, long, double, boolean, date, timestamp or decimal(p,s)");

const field = z
  .object({ name, type: fieldType, required: z.boolean().optional(), description, maxLength: z.number().int().min(1).max(65535).optional() })
  .strict();

const overrides = z
  .object({
    enabled: z.boolean().optional(),
    capacityMode: z.enum(["ON_DEMAND", "PROVISIONED"]).optional(),
    shards: z.number().int().min(1).max(500).optional(),
    streamRetentionHours: z.number().int().min(24).max(8760).optional(),
    windowSeconds: z.number().int().min(10).max(900).optional(),
    workerType: z.enum(["G.025X", "G.1X", "G.2X", "G.4X", "G.8X"]).optional(),
    workers: z.number().int().min(2).max(299).optional(),
    maxWorkers: z.number().int().min(2).max(299).optional(),
  })
  .strict();

const detectionWarehouseAction = z.enum(["redact", "hash"]);
const detectionLakeAction = z.enum(["keep", "redact", "hash"]);
const detectedEntity = z.enum(DETECTED_ENTITIES);
const detection = z
  .object({
    warehouse: detectionWarehouseAction.optional(),
    lake: detectionLakeAction.optional(),
    entities: z
      .object(Object.fromEntries(DETECTED_ENTITIES.map((entity) => [entity, z.object({ warehouse: detectionWarehouseAction.optional(), lake: detectionLakeAction.optional() }).strict().optional()])))
      .strict()
      .optional(),
    exempt: z.record(z.object({ reason: z.string().trim().min(10, "needs a reason of at least 10 characters: a reviewer reads why this column is not scanned") }).strict()).optional(),
    expected: z.record(z.array(detectedEntity).min(1, "names at least one entity type; remove the column otherwise")).optional(),
  })
  .strict();

const referenceSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("file"), file: z.string().regex(/^[\w.-]+\.(csv|json|jsonl)$/, "must be a file name under pipelines/reference-data/ ending in .csv, .json or .jsonl"), format: z.enum(["csv", "json"]) }).strict(),
  z.object({ kind: z.literal("s3"), uri: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/([\w!.*'()/-]*\/)?$/, "must be s3://bucket/prefix/ ending in /"), format: z.enum(["csv", "json"]), columns: z.array(z.string()).min(1) }).strict(),
]);

export const pipelineSchema = z
  .object({
    name,
    owner: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, "must be a team name in lowercase letters, digits and hyphens"),
    description,
    schema: z
      .object({
        fields: z.array(field).min(1, "needs at least one field"),
        eventId: z.string(),
        eventTime: z.string(),
        allowUnknownFields: z.boolean().optional(),
        maxRecordBytes: z.number().int().min(1024).max(1_048_576, "must be at most 1 MiB (the Kinesis record limit)").optional(),
      })
      .strict(),
    sensitive: z
      .record(
        z
          .object({
            classification: z.enum(["email", "phone", "credit_card", "ip_address", "person_name", "free_text"]),
            lake: z.enum(["keep", "hash", "mask", "drop"]),
            warehouse: z.enum(["hash", "redact", "partial", "drop"]),
          })
          .strict(),
      )
      .optional(),
    detection: detection.optional(),
    references: z
      .array(
        z
          .object({
            name,
            source: referenceSource,
            joinKey: z.object({ event: z.string(), reference: z.string() }).strict(),
            columns: z.array(z.object({ name: z.string(), as: z.string().optional(), type: fieldType.optional(), description }).strict()).min(1),
          })
          .strict(),
      )
      .optional(),
    transform: z.object({ sql: z.string().min(1), columns: z.array(field) }).strict().optional(),
    warehouse: z
      .object({
        table: z.string().optional(),
        sortKey: z.array(z.string()).min(1).max(400).optional(),
        distStyle: z.enum(["auto", "even", "key", "all"]).optional(),
        distKey: z.string().optional(),
        materializedViews: z
          .array(
            z
              .object({
                name,
                description,
                groupBy: z.array(z.string()).min(1),
                measures: z
                  .array(z.object({ name: z.string(), aggregate: z.enum(["count", "count_distinct", "sum", "min", "max", "avg"]), column: z.string().optional(), description }).strict())
                  .min(1),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    bi: z
      .object({
        publish: z.boolean(),
        source: z.string().optional(),
        geographic: z.array(z.object({ column: z.string(), role: z.enum(["COUNTRY", "STATE", "COUNTY", "CITY", "POSTCODE", "LONGITUDE", "LATITUDE"]) }).strict()).optional(),
        friendlyName: z.string().max(128).optional(),
        synonyms: z.record(z.array(z.string())).optional(),
      })
      .strict()
      .optional(),
    catalog: z.object({ mode: z.enum(["crawler", "projection"]) }).strict().optional(),
    environments: z.record(overrides).optional(),
  })
  .strict();
