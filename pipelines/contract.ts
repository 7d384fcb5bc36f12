import { createHash } from "node:crypto";
import {
  Column,
  DEFAULT_MAX_RECORD_BYTES,
  DEFAULT_STRING_MAX_LENGTH,
  PARTITION_KEYS,
  enrichedColumns,
  lakeColumns,
  referenceColumnName,
  viewColumns,
  warehouseColumns,
} from "./columns";
import { entityActions } from "./detection";
import { DETECTED_ENTITIES, PipelineDefinition } from "./types";

/**
 * The contract: the versioned JSON document each pipeline compiles to, and the single source of
 * truth for the Glue jobs (see docs/contract.md and pipelines/contract.schema.json). It holds
 * nothing environment-specific, so every environment ships the same bytes.
 */
export const CONTRACT_VERSION = 1;
/** The platform's schema in every environment's warehouse. */
export const WAREHOUSE_SCHEMA = "data_platform";

export interface ContractColumn {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

export interface Contract {
  readonly contract_version: number;
  readonly pipeline: string;
  readonly owner: string;
  readonly description: string;
  readonly fields: { name: string; type: string; required: boolean; description: string; max_length: number | null }[];
  readonly event_id_field: string;
  readonly event_time_field: string;
  readonly allow_unknown_fields: boolean;
  readonly max_record_bytes: number;
  readonly sensitive: { field: string; classification: string; lake: string; warehouse: string }[];
  readonly detection: {
    entities: { entity: string; lake: string; warehouse: string }[];
    exempt: { column: string; reason: string }[];
    expected: { column: string; entities: string[] }[];
  };
  readonly references: {
    name: string;
    format: string;
    location: { kind: "bundled"; key: string } | { kind: "s3"; uri: string };
    event_key: string;
    reference_key: string;
    columns: { name: string; as: string; type: string; description: string }[];
  }[];
  readonly transform: { sql: string; columns: ContractColumn[] } | null;
  readonly lake: { partition_keys: string[]; columns: ContractColumn[] };
  readonly warehouse: {
    schema: string;
    table: string;
    staging_table: string;
    columns: ContractColumn[];
    sort_key: string[];
    dist_style: string;
    dist_key: string | null;
    materialized_views: {
      name: string;
      description: string;
      group_by: string[];
      measures: { name: string; aggregate: string; column: string | null }[];
      columns: ContractColumn[];
    }[];
  } | null;
}

/** Where a bundled reference file lives in the reference bucket: same key in every environment. */
export function referenceObjectKey(pipeline: string, reference: string, file: string): string {
  return `${pipeline}/${reference}/${file}`;
}

const toContractColumns = (columns: readonly Column[]): ContractColumn[] =>
  columns.map((c) => ({ name: c.name, type: c.type, description: c.description }));

/** Compiles a (validated) definition into its contract. Pure: same definition, same document. */
export function compileContract(def: PipelineDefinition): Contract {
  const fieldNames = def.schema.fields.map((f) => f.name);
  const warehouseCols = def.warehouse ? warehouseColumns(def) : [];
  return {
    contract_version: CONTRACT_VERSION,
    pipeline: def.name,
    owner: def.owner,
    description: def.description,
    fields: def.schema.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required ?? false,
      description: f.description,
      max_length: f.type === "string" ? (f.maxLength ?? DEFAULT_STRING_MAX_LENGTH) : null,
    })),
    event_id_field: def.schema.eventId,
    event_time_field: def.schema.eventTime,
    allow_unknown_fields: def.schema.allowUnknownFields ?? false,
    max_record_bytes: def.schema.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    sensitive: Object.entries(def.sensitive ?? {})
      .sort(([a], [b]) => fieldNames.indexOf(a) - fieldNames.indexOf(b))
      .map(([field, s]) => ({ field, classification: s.classification, lake: s.lake, warehouse: s.warehouse })),
    detection: compileDetection(def),
    references: (def.references ?? []).map((ref) => ({
      name: ref.name,
      format: ref.source.format,
      location:
        ref.source.kind === "file"
          ? { kind: "bundled" as const, key: referenceObjectKey(def.name, ref.name, ref.source.file) }
          : { kind: "s3" as const, uri: ref.source.uri },
      event_key: ref.joinKey.event,
      reference_key: ref.joinKey.reference,
      columns: ref.columns.map((c) => ({ name: c.name, as: referenceColumnName(ref.name, c), type: c.type ?? "string", description: c.description })),
    })),
    transform: def.transform ? { sql: def.transform.sql, columns: toContractColumns(def.transform.columns) } : null,
    lake: { partition_keys: [...PARTITION_KEYS], columns: toContractColumns(lakeColumns(def)) },
    warehouse: def.warehouse
      ? {
          schema: WAREHOUSE_SCHEMA,
          table: def.warehouse.table ?? def.name,
          staging_table: `${def.warehouse.table ?? def.name}_staging`,
          columns: toContractColumns(warehouseCols),
          sort_key: [...(def.warehouse.sortKey ?? [def.schema.eventTime])],
          dist_style: def.warehouse.distStyle ?? "auto",
          dist_key: def.warehouse.distKey ?? null,
          materialized_views: (def.warehouse.materializedViews ?? []).map((view) => ({
            name: view.name,
            description: view.description,
            group_by: [...view.groupBy],
            measures: view.measures.map((m) => ({ name: m.name, aggregate: m.aggregate, column: m.column ?? null })),
            columns: toContractColumns(viewColumns(view, warehouseCols)),
          })),
        }
      : null,
  };
}

function compileDetection(def: PipelineDefinition): Contract["detection"] {
  const order = enrichedColumns(def).map((c) => c.name);
  const byColumn = <T>(entries: [string, T][]): [string, T][] => entries.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return {
    entities: entityActions(def).map(({ entity, lake, warehouse }) => ({ entity, lake, warehouse })),
    exempt: byColumn(Object.entries(def.detection?.exempt ?? {})).map(([column, { reason }]) => ({ column, reason })),
    expected: byColumn(Object.entries(def.detection?.expected ?? {})).map(([column, entities]) => ({
      column,
      entities: DETECTED_ENTITIES.filter((e) => entities.includes(e)),
    })),
  };
}

/** The contract's bytes: stable key order (as built), two-space indent, trailing newline. */
export function contractJson(contract: Contract): string {
  return `${JSON.stringify(contract, null, 2)}\n`;
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}
