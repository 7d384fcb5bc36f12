import type { FieldType, LakeAction, MaterializedViewDefinition, Measure, PipelineDefinition, WarehouseAction } from "./types";

/** A column of an output (lake, warehouse, view), with its type after masking. */
export interface Column {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
}

export const DEFAULT_STRING_MAX_LENGTH = 1024;
export const DEFAULT_MAX_RECORD_BYTES = 262_144;
/** Columns the lake adds from the event time; no field may use these names. */
export const PARTITION_KEYS = ["year", "month", "day", "hour"] as const;

export function referenceColumnName(reference: string, column: { name: string; as?: string }): string {
  return column.as ?? `${reference}_${column.name}`;
}

/** Every column after validation, the reference joins and the transform: the `events` view plus. */
export function enrichedColumns(def: PipelineDefinition): Column[] {
  const fields: Column[] = def.schema.fields.map((f) => ({ name: f.name, type: f.type, description: f.description }));
  const joined: Column[] = (def.references ?? []).flatMap((ref) =>
    ref.columns.map((c) => ({ name: referenceColumnName(ref.name, c), type: c.type ?? "string", description: c.description })),
  );
  const derived: Column[] = (def.transform?.columns ?? []).map((c) => ({ name: c.name, type: c.type, description: c.description }));
  return [...fields, ...joined, ...derived];
}

function applyAction(column: Column, action: LakeAction | WarehouseAction | undefined): Column | undefined {
  switch (action) {
    case undefined:
    case "keep":
      return column;
    case "drop":
      return undefined;
    case "hash":
      return { ...column, type: "string", description: `${column.description} (SHA-256 with pepper)` };
    case "mask":
    case "partial":
      return { ...column, type: "string", description: `${column.description} (partially masked)` };
    case "redact":
      return { ...column, type: "string", description: `${column.description} (redacted)` };
  }
}

/** What lands in the lake's Parquet, in order (partition columns excluded). */
export function lakeColumns(def: PipelineDefinition): Column[] {
  return enrichedColumns(def).flatMap((c) => applyAction(c, def.sensitive?.[c.name]?.lake) ?? []);
}

/** What lands in the warehouse table, in order; sensitive columns never in the clear. */
export function warehouseColumns(def: PipelineDefinition): Column[] {
  return enrichedColumns(def).flatMap((c) => applyAction(c, def.sensitive?.[c.name]?.warehouse) ?? []);
}

/** The type a measure produces, in contract types (Redshift maps them in the warehouse module). */
export function measureType(measure: Measure, source: readonly Column[]): FieldType {
  const input = source.find((c) => c.name === measure.column)?.type;
  switch (measure.aggregate) {
    case "count":
    case "count_distinct":
      return "long";
    case "avg":
      return "double";
    case "sum":
      if (input === "int" || input === "long") return "long";
      if (input?.startsWith("decimal(")) return `decimal(38,${/,(\d+)\)/.exec(input)![1]})` as FieldType;
      return "double";
    case "min":
    case "max":
      return input ?? "string";
  }
}

/** The columns of a materialized view: its group-by columns, then its measures. */
export function viewColumns(view: MaterializedViewDefinition, source: readonly Column[]): Column[] {
  const groups = view.groupBy.map((name) => source.find((c) => c.name === name) ?? { name, type: "string" as FieldType, description: "" });
  const measures = view.measures.map((m) => ({ name: m.name, type: measureType(m, source), description: m.description }));
  return [...groups, ...measures];
}
