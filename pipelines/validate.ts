import { ConfigProblem, ConfigValidationError } from "../lib/validation";
import { problemsFromZod } from "../lib/zod-problems";
import { Column, PARTITION_KEYS, enrichedColumns, referenceColumnName, warehouseColumns } from "./columns";
import { reservedIn } from "./reserved-words";
import { FIELD_TYPE, pipelineSchema } from "./schema";
import type { PipelineDefinition } from "./types";

/** Lowercase snake_case: valid unquoted in Glue, Athena, Redshift and as an S3 prefix. */
export const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
/** Keeps `dp-<env>-<pipeline>-streaming-job` within IAM's 64-character role names. */
export const MAX_PIPELINE_NAME = 40;
/** Glue and Athena column names; Redshift allows 127 bytes. */
export const MAX_IDENTIFIER = 127;

export interface ValidationInput {
  /** Environment names that overrides may name. */
  readonly environmentNames: readonly string[];
  /** Columns of a bundled reference file, or undefined when the file does not exist. */
  readonly referenceFileColumns: (file: string) => readonly string[] | undefined;
}

/** Validates every definition, alone and together; throws one error listing every problem. */
export function validatePipelines(definitions: readonly unknown[], input: ValidationInput): PipelineDefinition[] {
  const problems: ConfigProblem[] = [];
  const valid: PipelineDefinition[] = [];
  const seen = new Map<string, number>();
  definitions.forEach((raw, index) => {
    const label = pipelineLabel(raw, index);
    const parsed = pipelineSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFromZod(parsed.error, raw, label));
      return;
    }
    const def = parsed.data as PipelineDefinition;
    if (seen.has(def.name)) {
      problems.push({ path: `${label}.name`, value: def.name, message: `is also the name of pipeline #${seen.get(def.name)! + 1}; pipeline names must be unique` });
    }
    seen.set(def.name, index);
    const own = semanticProblems(def, input).map((p) => ({ ...p, path: `${label}.${p.path}` }));
    problems.push(...own);
    if (own.length === 0) valid.push(def);
  });
  if (problems.length > 0) throw new ConfigValidationError("Invalid pipeline definitions", problems);
  return valid;
}

function pipelineLabel(raw: unknown, index: number): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === "string" && name ? `pipelines.${name}` : `pipelines[${index}]`;
}

type Problems = ConfigProblem[];
const problem = (path: string, value: unknown, message: string): ConfigProblem => ({ path, value, message });

/** Problems with one identifier: case, length, reserved words. */
export function identifierProblems(path: string, name: string, maxLength = MAX_IDENTIFIER): Problems {
  if (!SNAKE_CASE.test(name)) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    return [problem(path, name, `must be lowercase snake_case (letters, digits, underscores, starting with a letter), e.g. "${suggestion || "my_name"}"`)];
  }
  if (name.length > maxLength) return [problem(path, name, `is ${name.length} characters; at most ${maxLength}`)];
  const engines = reservedIn(name);
  if (engines) return [problem(path, name, `is a reserved word in ${engines}; choose another name, e.g. "${name}_value"`)];
  return [];
}

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

export function semanticProblems(def: PipelineDefinition, input: ValidationInput): Problems {
  return [
    ...identifierProblems("name", def.name, MAX_PIPELINE_NAME),
    ...schemaProblems(def),
    ...sensitiveProblems(def),
    ...referenceProblems(def, input),
    ...transformProblems(def),
    ...warehouseProblems(def),
    ...biProblems(def),
    ...environmentProblems(def, input),
  ];
}

function schemaProblems(def: PipelineDefinition): Problems {
  const fields = def.schema.fields;
  const problems: Problems = fields.flatMap((f, i) => [
    ...identifierProblems(`schema.fields[${i}].name`, f.name),
    ...((PARTITION_KEYS as readonly string[]).includes(f.name)
      ? [problem(`schema.fields[${i}].name`, f.name, `is a partition column the lake adds (${PARTITION_KEYS.join(", ")}); rename the field`)]
      : []),
    ...decimalProblems(`schema.fields[${i}].type`, f.type),
    ...(f.maxLength !== undefined && f.type !== "string" ? [problem(`schema.fields[${i}].maxLength`, f.maxLength, `applies to string fields only; "${f.name}" is ${f.type}`)] : []),
  ]);
  for (const name of duplicates(fields.map((f) => f.name))) {
    problems.push(problem("schema.fields", name, `field "${name}" is declared more than once; field names must be unique`));
  }
  const names = fields.map((f) => f.name).join(", ");
  const id = fields.find((f) => f.name === def.schema.eventId);
  if (!id) problems.push(problem("schema.eventId", def.schema.eventId, `is not a field of the schema; choose one of: ${names}`));
  else {
    if (!["string", "int", "long"].includes(id.type)) problems.push(problem("schema.eventId", def.schema.eventId, `is ${id.type}; the event id must be string, int or long (it is the MERGE key)`));
    if (!id.required) problems.push(problem("schema.eventId", def.schema.eventId, "must be a required field: records without an id cannot be de-duplicated"));
  }
  const time = fields.find((f) => f.name === def.schema.eventTime);
  if (!time) problems.push(problem("schema.eventTime", def.schema.eventTime, `is not a field of the schema; choose a timestamp field of: ${names}`));
  else {
    if (time.type !== "timestamp") problems.push(problem("schema.eventTime", def.schema.eventTime, `is ${time.type}; the event time must be a timestamp (partitions come from it)`));
    if (!time.required) problems.push(problem("schema.eventTime", def.schema.eventTime, "must be a required field: a record without event time has no partition"));
  }
  return problems;
}

export function decimalProblems(path: string, type: string): Problems {
  const match = FIELD_TYPE.exec(type);
  if (!match?.[2]) return [];
  const [precision, scale] = [Number(match[2]), Number(match[3])];
  if (precision < 1 || precision > 38) return [problem(path, type, "decimal precision must be between 1 and 38")];
  if (scale > precision) return [problem(path, type, `decimal scale (${scale}) must not exceed its precision (${precision})`)];
  return [];
}

function sensitiveProblems(def: PipelineDefinition): Problems {
  const names = def.schema.fields.map((f) => f.name);
  return Object.keys(def.sensitive ?? {}).flatMap((field) => {
    const declared = def.schema.fields.find((f) => f.name === field);
    if (!declared) return [problem(`sensitive.${field}`, field, `is not a field of the schema; choose one of: ${names.join(", ")}`)];
    if (declared.type !== "string") return [problem(`sensitive.${field}`, field, `is ${declared.type}; only string fields can be classified and masked`)];
    if (field === def.schema.eventId || field === def.schema.eventTime) {
      return [problem(`sensitive.${field}`, field, "is the event id or event time; those are keys, never personal data: use a surrogate id")];
    }
    return [];
  });
}

function referenceProblems(def: PipelineDefinition, input: ValidationInput): Problems {
  const refs = def.references ?? [];
  const fieldNames = def.schema.fields.map((f) => f.name);
  const problems: Problems = [];
  for (const name of duplicates(refs.map((r) => r.name))) problems.push(problem("references", name, `reference "${name}" is declared more than once`));
  refs.forEach((ref, i) => {
    const at = `references[${i}]`;
    problems.push(...identifierProblems(`${at}.name`, ref.name));
    if (ref.name === "events") problems.push(problem(`${at}.name`, ref.name, 'is the name of the events view; choose another name'));
    if (!fieldNames.includes(ref.joinKey.event)) {
      problems.push(problem(`${at}.joinKey.event`, ref.joinKey.event, `is not a field of the event; choose one of: ${fieldNames.join(", ")}`));
    }
    const available = ref.source.kind === "file" ? input.referenceFileColumns(ref.source.file) : ref.source.columns;
    if (available === undefined) {
      problems.push(problem(`${at}.source.file`, ref.source.kind === "file" ? ref.source.file : "", "does not exist in pipelines/reference-data/; add the file or fix the name"));
      return;
    }
    if (!available.includes(ref.joinKey.reference)) {
      problems.push(problem(`${at}.joinKey.reference`, ref.joinKey.reference, `is not a column of the reference data; it has: ${available.join(", ")}`));
    }
    ref.columns.forEach((c, j) => {
      if (!available.includes(c.name)) problems.push(problem(`${at}.columns[${j}].name`, c.name, `is not a column of the reference data; it has: ${available.join(", ")}`));
      const output = referenceColumnName(ref.name, c);
      problems.push(...identifierProblems(`${at}.columns[${j}].as`, output));
      if (fieldNames.includes(output)) problems.push(problem(`${at}.columns[${j}].as`, output, `collides with the event field "${output}"; set \`as\` to another name`));
      if (c.type) problems.push(...decimalProblems(`${at}.columns[${j}].type`, c.type));
    });
  });
  return problems;
}

/** Every relation a Spark SQL text reads from (after FROM or JOIN). */
export function viewsNamedIn(sql: string): string[] {
  const stripped = sql.replace(/'([^']|'')*'/g, "''").replace(/--[^\n]*/g, " ");
  return [...stripped.matchAll(/\b(?:from|join)\s+([A-Za-z_][\w.]*)/gi)].map((m) => m[1]);
}

function transformProblems(def: PipelineDefinition): Problems {
  if (!def.transform) return [];
  const views = ["events", ...(def.references ?? []).map((r) => r.name)];
  const problems: Problems = [];
  for (const view of viewsNamedIn(def.transform.sql)) {
    if (!views.includes(view)) problems.push(problem("transform.sql", view, `names a view that does not exist; available views: ${views.join(", ")}`));
  }
  if (/;\s*\S/.test(def.transform.sql)) problems.push(problem("transform.sql", def.transform.sql, "must be a single SELECT statement (no ';')"));
  if (!/^\s*(select|with)\b/i.test(def.transform.sql)) problems.push(problem("transform.sql", def.transform.sql, "must be a query starting with SELECT or WITH"));
  const existing = enrichedColumns({ ...def, transform: undefined }).map((c) => c.name);
  def.transform.columns.forEach((c, i) => {
    problems.push(...identifierProblems(`transform.columns[${i}].name`, c.name));
    if (existing.includes(c.name)) problems.push(problem(`transform.columns[${i}].name`, c.name, "is already a column of events; the transform adds new columns only"));
  });
  return problems;
}

function warehouseProblems(def: PipelineDefinition): Problems {
  const wh = def.warehouse;
  if (!wh) return [];
  const columns = warehouseColumns(def);
  const names = columns.map((c) => c.name);
  const problems: Problems = [];
  const table = wh.table ?? def.name;
  problems.push(...identifierProblems("warehouse.table", table));
  const missing = (path: string, column: string) => {
    const all = enrichedColumns(def).map((c) => c.name);
    const why = all.includes(column) ? "is dropped from the warehouse by its sensitive-data rule" : "is not a column of the warehouse table";
    return problem(path, column, `${why}; choose one of: ${names.join(", ")}`);
  };
  (wh.sortKey ?? []).forEach((k, i) => names.includes(k) || problems.push(missing(`warehouse.sortKey[${i}]`, k)));
  const style = wh.distStyle ?? "auto";
  if (style === "key" && !wh.distKey) problems.push(problem("warehouse.distKey", wh.distKey, 'is required when distStyle is "key"'));
  if (style !== "key" && wh.distKey) problems.push(problem("warehouse.distKey", wh.distKey, `applies only to distStyle "key" (distStyle is "${style}")`));
  if (wh.distKey && !names.includes(wh.distKey)) problems.push(missing("warehouse.distKey", wh.distKey));
  const views = wh.materializedViews ?? [];
  for (const name of duplicates([table, ...views.map((v) => v.name)])) problems.push(problem("warehouse.materializedViews", name, `"${name}" is used by more than one table or view`));
  views.forEach((view, i) => problems.push(...viewProblems(`warehouse.materializedViews[${i}]`, view, columns)));
  return problems;
}

function viewProblems(at: string, view: NonNullable<NonNullable<PipelineDefinition["warehouse"]>["materializedViews"]>[number], columns: Column[]): Problems {
  const names = columns.map((c) => c.name);
  const problems: Problems = identifierProblems(`${at}.name`, view.name);
  view.groupBy.forEach((g, j) => names.includes(g) || problems.push(problem(`${at}.groupBy[${j}]`, g, `is not a column of the warehouse table; choose one of: ${names.join(", ")}`)));
  view.measures.forEach((m, j) => {
    problems.push(...identifierProblems(`${at}.measures[${j}].name`, m.name));
    if (m.aggregate !== "count" && !m.column) problems.push(problem(`${at}.measures[${j}].column`, m.column, `is required for ${m.aggregate}`));
    if (m.column && !names.includes(m.column)) problems.push(problem(`${at}.measures[${j}].column`, m.column, `is not a column of the warehouse table; choose one of: ${names.join(", ")}`));
    const type = columns.find((c) => c.name === m.column)?.type ?? "";
    if ((m.aggregate === "sum" || m.aggregate === "avg") && m.column && !/^(int|long|double|decimal)/.test(type)) {
      problems.push(problem(`${at}.measures[${j}].aggregate`, m.aggregate, `needs a numeric column; "${m.column}" is ${type}`));
    }
  });
  for (const name of duplicates([...view.groupBy, ...view.measures.map((m) => m.name)])) problems.push(problem(`${at}.measures`, name, `column "${name}" appears twice in the view`));
  return problems;
}

function biProblems(def: PipelineDefinition): Problems {
  const bi = def.bi;
  if (!bi?.publish) return [];
  if (!def.warehouse) return [problem("bi.publish", true, "needs a warehouse table: QuickSight reads Redshift in Direct Query mode")];
  const source = bi.source ?? "table";
  const view = def.warehouse.materializedViews?.find((v) => v.name === source);
  if (source !== "table" && !view) {
    const options = ["table", ...(def.warehouse.materializedViews ?? []).map((v) => v.name)];
    return [problem("bi.source", source, `is neither "table" nor a materialized view of this pipeline; choose one of: ${options.join(", ")}`)];
  }
  const columns = view ? [...view.groupBy, ...view.measures.map((m) => m.name)] : warehouseColumns(def).map((c) => c.name);
  const problems: Problems = [];
  (bi.geographic ?? []).forEach((g, i) => columns.includes(g.column) || problems.push(problem(`bi.geographic[${i}].column`, g.column, `is not a column of the data set's source "${source}"; choose one of: ${columns.join(", ")}`)));
  Object.keys(bi.synonyms ?? {}).forEach((c) => columns.includes(c) || problems.push(problem(`bi.synonyms.${c}`, c, `is not a column of the data set's source "${source}"`)));
  return problems;
}

function environmentProblems(def: PipelineDefinition, input: ValidationInput): Problems {
  return Object.entries(def.environments ?? {}).flatMap(([env, o]) => {
    const problems: Problems = [];
    if (!input.environmentNames.includes(env)) problems.push(problem(`environments.${env}`, env, `is not an environment; choose one of: ${input.environmentNames.join(", ")}`));
    if (o.workers !== undefined && o.maxWorkers !== undefined && o.maxWorkers < o.workers) {
      problems.push(problem(`environments.${env}.maxWorkers`, o.maxWorkers, `must be >= workers (${o.workers})`));
    }
    return problems;
  });
}
