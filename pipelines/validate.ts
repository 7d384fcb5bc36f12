import { MAX_COLUMN_DESCRIPTION } from "../modules/bi/data-set-model";
import { CheckedDocument, ConfigProblem, ConfigRule, ConfigValidationError, problem, readsAccepted } from "../lib/validation";
import { checkDocuments } from "../lib/zod-problems";
import { Column, PARTITION_KEYS, enrichedColumns, referenceColumnName, viewColumns, warehouseColumns } from "./columns";
import { FORMAT_OF_EXTENSION, REFERENCE_DATA_DIR, readReferenceFile } from "./reference-files";
import { reservedIn } from "./reserved-words";
import { FIELD_TYPE, pipelineSchema } from "./schema";
import { transformSqlProblems } from "./transform-sql";
import type { PipelineDefinition } from "./types";

/** Lowercase snake_case: valid unquoted in Glue, Athena, Redshift and as an S3 prefix. */
export const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
/** The longest pipeline name; with the environment's name it must also fit every resource name (see stacks/validate.ts). */
export const MAX_PIPELINE_NAME = 40;
/** Glue and Athena column names; Redshift allows 127 bytes. */
export const MAX_IDENTIFIER = 127;
/** QuickSight names a data set's tables by the relation (`_` as `-`): 1-64 characters. */
export const MAX_PUBLISHED_RELATION = 64;
/** QuickSight data set names: 1-128 characters. */
export const MAX_DATA_SET_NAME = 128;

export interface ValidationInput {
  /** Environment names that overrides may name. */
  readonly environmentNames: readonly string[];
  /** Where bundled reference files are read from. @default pipelines/reference-data */
  readonly referenceDir?: string;
}

export type CheckedPipeline = CheckedDocument<PipelineDefinition>;

export interface PipelineCheck {
  readonly checked: readonly CheckedPipeline[];
  readonly problems: readonly ConfigProblem[];
}

/**
 * Checks every definition: its schema, every rule whose fields the schema accepted, and the rules
 * between pipelines. Never throws (see `checkEnvironments`).
 */
export function checkPipelines(definitions: readonly unknown[], input: ValidationInput): PipelineCheck {
  const { checked, problems } = checkDocuments<PipelineDefinition>(definitions, pipelineSchema, pipelineLabel, pipelineRules(input));
  return { checked, problems: [...problems, ...acrossPipelineProblems(checked)] };
}

/** Validates every definition, alone and together; throws one error listing every problem. */
export function validatePipelines(definitions: readonly unknown[], input: ValidationInput): PipelineDefinition[] {
  const { checked, problems } = checkPipelines(definitions, input);
  if (problems.length > 0) throw new ConfigValidationError("Invalid pipeline definitions", problems);
  return checked.map((c) => c.value);
}

function pipelineLabel(raw: unknown, index: number): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === "string" && /^[\w-]+$/.test(name) ? `pipelines.${name}` : `pipelines[${index}]`;
}

type Problems = ConfigProblem[];
type Rule = ConfigRule<PipelineDefinition>;

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

export function decimalProblems(path: string, type: string): Problems {
  const match = FIELD_TYPE.exec(type);
  if (!match?.[2]) return [];
  const [precision, scale] = [Number(match[2]), Number(match[3])];
  if (precision < 1 || precision > 38) return [problem(path, type, "decimal precision must be between 1 and 38")];
  if (scale > precision) return [problem(path, type, `decimal scale (${scale}) must not exceed its precision (${precision})`)];
  return [];
}

function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

/** What the column names of the events view and the warehouse table depend on. */
const COLUMN_NAMES = ["schema.fields.*.name", "references.*.name", "references.*.columns.*.name", "references.*.columns.*.as", "transform.columns.*.name", "sensitive.*.warehouse"];
/** What their types depend on. */
const COLUMN_TYPES = ["schema.fields.*.type", "references.*.columns.*.type", "transform.columns.*.type"];
/** What their descriptions depend on. */
const COLUMN_DESCRIPTIONS = ["schema.fields.*.description", "references.*.columns.*.description", "transform.columns.*.description", "warehouse.materializedViews.*.measures.*.description"];
const FIELD_NAMES = "schema.fields.*.name";

/** Every rule about one pipeline, each with what it reads. */
function pipelineRules(input: ValidationInput): Rule[] {
  return [
    { reads: ["name"], check: (def) => identifierProblems("name", def.name, MAX_PIPELINE_NAME) },
    ...schemaRules,
    ...sensitiveRules,
    ...detectionRules,
    ...referenceRules(input.referenceDir ?? REFERENCE_DATA_DIR),
    ...transformRules,
    ...warehouseRules,
    ...biRules,
    ...overrideRules(input.environmentNames),
  ];
}

const schemaRules: Rule[] = [
  {
    reads: [FIELD_NAMES],
    check: (def) => [
      ...def.schema.fields.flatMap((f, i) => [
        ...identifierProblems(`schema.fields[${i}].name`, f.name),
        ...((PARTITION_KEYS as readonly string[]).includes(f.name)
          ? [problem(`schema.fields[${i}].name`, f.name, `is a partition column the lake adds (${PARTITION_KEYS.join(", ")}); rename the field`)]
          : []),
      ]),
      ...duplicates(def.schema.fields.map((f) => f.name)).map((name) => problem("schema.fields", name, `field "${name}" is declared more than once; field names must be unique`)),
    ],
  },
  { reads: ["schema.fields.*.type"], check: (def) => def.schema.fields.flatMap((f, i) => decimalProblems(`schema.fields[${i}].type`, f.type)) },
  {
    reads: ["schema.fields.*.type", "schema.fields.*.maxLength"],
    check: (def) =>
      def.schema.fields.flatMap((f, i) => (f.maxLength !== undefined && f.type !== "string" ? [problem(`schema.fields[${i}].maxLength`, f.maxLength, `applies to string fields only; "${f.name}" is ${f.type}`)] : [])),
  },
  {
    reads: ["schema.eventId", FIELD_NAMES],
    check: (def) => existsIn(def, "schema.eventId", def.schema.eventId, "choose one of"),
  },
  {
    reads: ["schema.eventId", FIELD_NAMES],
    readsFound: (def) => fieldReads(def, def.schema.eventId, "type", "required"),
    check: (def) => {
      const id = def.schema.fields.find((f) => f.name === def.schema.eventId);
      if (!id) return [];
      return [
        ...(["string", "int", "long"].includes(id.type) ? [] : [problem("schema.eventId", def.schema.eventId, `is ${id.type}; the event id must be string, int or long (it is the MERGE key)`)]),
        ...(id.required ? [] : [problem("schema.eventId", def.schema.eventId, "must be a required field: records without an id cannot be de-duplicated")]),
      ];
    },
  },
  {
    reads: ["schema.eventTime", FIELD_NAMES],
    check: (def) => existsIn(def, "schema.eventTime", def.schema.eventTime, "choose a timestamp field of"),
  },
  {
    reads: ["schema.eventTime", FIELD_NAMES],
    readsFound: (def) => fieldReads(def, def.schema.eventTime, "type", "required"),
    check: (def) => {
      const time = def.schema.fields.find((f) => f.name === def.schema.eventTime);
      if (!time) return [];
      return [
        ...(time.type === "timestamp" ? [] : [problem("schema.eventTime", def.schema.eventTime, `is ${time.type}; the event time must be a timestamp (partitions come from it)`)]),
        ...(time.required ? [] : [problem("schema.eventTime", def.schema.eventTime, "must be a required field: a record without event time has no partition")]),
      ];
    },
  },
];

/** The paths of `keys` of the field named `name`, for a rule that reads that one field only. */
function fieldReads(def: PipelineDefinition, name: string, ...keys: string[]): string[] {
  const index = def.schema.fields.findIndex((f) => f.name === name);
  return index < 0 ? [] : keys.map((key) => `schema.fields.${index}.${key}`);
}

function existsIn(def: PipelineDefinition, path: string, name: string, choose: string): Problems {
  const names = def.schema.fields.map((f) => f.name);
  return names.includes(name) ? [] : [problem(path, name, `is not a field of the schema; ${choose}: ${names.join(", ")}`)];
}

const sensitiveRules: Rule[] = [
  {
    reads: ["sensitive:keys", FIELD_NAMES, "schema.eventId", "schema.eventTime"],
    check: (def) =>
      Object.keys(def.sensitive ?? {}).flatMap((field) => {
        const names = def.schema.fields.map((f) => f.name);
        if (!names.includes(field)) return [problem(`sensitive.${field}`, field, `is not a field of the schema; choose one of: ${names.join(", ")}`)];
        if (field === def.schema.eventId || field === def.schema.eventTime) {
          return [problem(`sensitive.${field}`, field, "is the event id or event time; those are keys, never personal data: use a surrogate id")];
        }
        return [];
      }),
  },
  {
    reads: ["sensitive:keys", FIELD_NAMES],
    readsFound: (def) => Object.keys(def.sensitive ?? {}).flatMap((field) => fieldReads(def, field, "type")),
    check: (def) =>
      Object.keys(def.sensitive ?? {}).flatMap((field) => {
        const declared = def.schema.fields.find((f) => f.name === field);
        return declared && declared.type !== "string" ? [problem(`sensitive.${field}`, field, `is ${declared.type}; only string fields can be classified and masked`)] : [];
      }),
  },
];

const DETECTION_COLUMNS = ["detection.exempt:keys", "detection.expected:keys", ...COLUMN_NAMES, ...COLUMN_TYPES, "sensitive"];

const detectionRules: Rule[] = [
  {
    reads: DETECTION_COLUMNS,
    check: (def) => {
      const columns = enrichedColumns(def);
      const strings = columns.filter((c) => c.type === "string").map((c) => c.name);
      const exempt = Object.keys(def.detection?.exempt ?? {});
      const problems: Problems = [];
      for (const [section, names] of [["exempt", exempt], ["expected", Object.keys(def.detection?.expected ?? {})]] as const) {
        for (const name of names) {
          const path = `detection.${section}.${name}`;
          const column = columns.find((c) => c.name === name);
          const declared = def.sensitive?.[name];
          if (!column) problems.push(problem(path, name, `is not a column of the pipeline (fields, reference columns, transform columns); string columns: ${strings.join(", ")}`));
          else if (column.type !== "string") problems.push(problem(path, name, `is ${column.type}; only string columns are scanned: ${strings.join(", ")}`));
          else if (declared) problems.push(problem(path, name, `is declared in sensitive (${declared.classification}): its own masking applies${declared.classification === "free_text" ? " and every entity is expected there" : " and it is not scanned"}; remove it here`));
          else if (section === "expected" && exempt.includes(name)) problems.push(problem(path, name, "is also exempt: an exempt column is not scanned, so nothing is expected there; keep one of the two"));
        }
      }
      return problems;
    },
  },
  {
    reads: ["detection.expected"],
    check: (def) =>
      Object.entries(def.detection?.expected ?? {}).flatMap(([column, entities]) =>
        duplicates(entities).map((entity) => problem(`detection.expected.${column}`, entity, `names "${entity}" more than once`)),
      ),
  },
];

function referenceRules(dir: string): Rule[] {
  return [
    {
      reads: ["references.*.name"],
      check: (def) => {
        const refs = def.references ?? [];
        return [
          ...duplicates(refs.map((r) => r.name)).map((name) => problem("references", name, `reference "${name}" is declared more than once`)),
          ...refs.flatMap((ref, i) => [
            ...identifierProblems(`references[${i}].name`, ref.name),
            ...(ref.name === "events" ? [problem(`references[${i}].name`, ref.name, "is the name of the events view; choose another name")] : []),
          ]),
        ];
      },
    },
    {
      reads: ["references.*.joinKey.event", FIELD_NAMES],
      check: (def) => {
        const names = def.schema.fields.map((f) => f.name);
        return (def.references ?? []).flatMap((ref, i) =>
          names.includes(ref.joinKey.event) ? [] : [problem(`references[${i}].joinKey.event`, ref.joinKey.event, `is not a field of the event; choose one of: ${names.join(", ")}`)],
        );
      },
    },
    {
      reads: ["references.*.source", "references.*.joinKey.reference", "references.*.columns.*.name"],
      check: (def) => (def.references ?? []).flatMap((ref, i) => referenceDataProblems(ref, `references[${i}]`, dir)),
    },
    { reads: ["references.*.columns.*.type"], check: (def) => (def.references ?? []).flatMap((ref, i) => ref.columns.flatMap((c, j) => (c.type ? decimalProblems(`references[${i}].columns[${j}].type`, c.type) : []))) },
  ];
}

type Reference = NonNullable<PipelineDefinition["references"]>[number];

/** The reference's data: its file exists, parses as its declared format, has the columns named, and a unique join key. */
function referenceDataProblems(ref: Reference, at: string, dir: string): Problems {
  const source = ref.source;
  if (source.kind === "file") {
    const extension = /\.[a-z]+$/.exec(source.file)?.[0] ?? "";
    const implied = FORMAT_OF_EXTENSION[extension];
    if (implied && implied !== source.format) {
      return [problem(`${at}.source.format`, source.format, `does not match the file ${source.file}, which is ${implied}: set format "${implied}" or ship a ${source.format === "csv" ? ".csv" : ".json/.jsonl"} file`)];
    }
  }
  const contents = source.kind === "file" ? readReferenceFile(source.file, source.format, dir) : undefined;
  if (source.kind === "file" && !contents) return [problem(`${at}.source.file`, source.file, "does not exist in pipelines/reference-data/; add the file or fix the name")];
  if (contents && contents.problems.length > 0) {
    return contents.problems.map((message) => problem(`${at}.source.file`, source.kind === "file" ? source.file : "", `${message} (declared format: ${source.format})`));
  }
  const available = contents ? contents.columns : source.kind === "s3" ? source.columns : [];
  const problems: Problems = [];
  if (!available.includes(ref.joinKey.reference)) {
    problems.push(problem(`${at}.joinKey.reference`, ref.joinKey.reference, `is not a column of the reference data; it has: ${available.join(", ")}`));
  } else if (contents) {
    // The jobs refuse a reference with a repeated key: a left join on it would duplicate events.
    const repeated = firstRepeatedKey(contents.rows.map((row) => row[ref.joinKey.reference]));
    if (repeated !== undefined) problems.push(problem(`${at}.joinKey.reference`, ref.joinKey.reference, `holds the key ${JSON.stringify(repeated)} more than once in ${source.kind === "file" ? source.file : "the data"}; the join key must be unique, or the join would duplicate events`));
  }
  ref.columns.forEach((c, j) => {
    if (!available.includes(c.name)) problems.push(problem(`${at}.columns[${j}].name`, c.name, `is not a column of the reference data; it has: ${available.join(", ")}`));
  });
  return problems;
}

/** The first key that occurs twice, compared as text as the jobs compare them; nulls never match. */
function firstRepeatedKey(keys: readonly unknown[]): unknown {
  const seen = new Set<string>();
  for (const key of keys) {
    if (key === null || key === undefined) continue;
    if (seen.has(String(key))) return key;
    seen.add(String(key));
  }
  return undefined;
}

/** Where each column of the events view (after joins and transform) comes from, in order. */
function columnSources(def: PipelineDefinition): { name: string; path: string; source: string }[] {
  return [
    ...def.schema.fields.map((f, i) => ({ name: f.name, path: `schema.fields[${i}].name`, source: "the event field" })),
    ...(def.references ?? []).flatMap((ref, i) =>
      ref.columns.map((c, j) => ({ name: referenceColumnName(ref.name, c), path: `references[${i}].columns[${j}].as`, source: `the column of reference "${ref.name}"` })),
    ),
    ...(def.transform?.columns ?? []).map((c, i) => ({ name: c.name, path: `transform.columns[${i}].name`, source: "the transform column" })),
  ];
}

const transformRules: Rule[] = [
  {
    reads: ["transform.sql", "references.*.name"],
    check: (def) =>
      def.transform
        ? transformSqlProblems(def.transform.sql, (def.references ?? []).map((r) => r.name)).map((p) => problem("transform.sql", p.value, p.message))
        : [],
  },
  {
    reads: COLUMN_NAMES.filter((read) => !read.startsWith("sensitive")),
    check: (def) => {
      const sources = columnSources(def);
      return sources.flatMap((column, index) => {
        const first = sources.findIndex((c) => c.name === column.name);
        const own = column.path.startsWith("schema.") ? [] : identifierProblems(column.path, column.name);
        if (first === index || column.path.startsWith("schema.")) return own;
        return [...own, problem(column.path, column.name, `collides with ${sources[first].source} "${column.name}"; every column of the events view needs its own name${column.path.startsWith("references") ? ": set `as` to another name" : ""}`)];
      });
    },
  },
  { reads: ["transform.columns.*.type"], check: (def) => (def.transform?.columns ?? []).flatMap((c, i) => decimalProblems(`transform.columns[${i}].type`, c.type)) },
];

/**
 * Two rules for fields that name warehouse columns: a name that is no column at all does not
 * depend on the sensitive-data rules; one those rules drop from the warehouse does.
 */
function columnReferenceRules(read: string, named: (def: PipelineDefinition) => { path: string; column: string }[]): Rule[] {
  const noColumn = (def: PipelineDefinition, column: string) => !enrichedColumns(def).some((c) => c.name === column);
  const choose = (def: PipelineDefinition) => `choose one of: ${warehouseColumns(def).map((c) => c.name).join(", ")}`;
  return [
    {
      reads: [read, ...COLUMN_NAMES.filter((r) => !r.startsWith("sensitive"))],
      check: (def) => named(def).flatMap(({ path, column }) => (noColumn(def, column) ? [problem(path, column, `is not a column of the warehouse table; ${choose(def)}`)] : [])),
    },
    {
      reads: [read, ...COLUMN_NAMES],
      check: (def) =>
        named(def).flatMap(({ path, column }) =>
          !noColumn(def, column) && !warehouseColumns(def).some((c) => c.name === column) ? [problem(path, column, `is dropped from the warehouse by its sensitive-data rule; ${choose(def)}`)] : [],
        ),
    },
  ];
}

type View = NonNullable<NonNullable<PipelineDefinition["warehouse"]>["materializedViews"]>[number];

const warehouseRules: Rule[] = [
  { reads: ["warehouse.table", "name"], check: (def) => (def.warehouse ? identifierProblems("warehouse.table", def.warehouse.table ?? def.name) : []) },
  ...columnReferenceRules("warehouse.sortKey", (def) => (def.warehouse?.sortKey ?? []).map((k, i) => ({ path: `warehouse.sortKey[${i}]`, column: k }))),
  ...columnReferenceRules("warehouse.distKey", (def) => (def.warehouse?.distKey ? [{ path: "warehouse.distKey", column: def.warehouse.distKey }] : [])),
  {
    reads: ["warehouse.sortKey"],
    check: (def) => {
      const keys = def.warehouse?.sortKey ?? [];
      return keys.flatMap((k, i) => (keys.indexOf(k) < i ? [problem(`warehouse.sortKey[${i}]`, k, `repeats sortKey[${keys.indexOf(k)}]; a sort key names each column once`)] : []));
    },
  },
  {
    reads: ["warehouse.distStyle", "warehouse.distKey"],
    check: (def) => {
      const wh = def.warehouse;
      const style = wh?.distStyle ?? "auto";
      if (style === "key" && wh && !wh.distKey) return [problem("warehouse.distKey", wh.distKey, 'is required when distStyle is "key"')];
      if (style !== "key" && wh?.distKey) return [problem("warehouse.distKey", wh.distKey, `applies only to distStyle "key" (distStyle is "${style}")`)];
      return [];
    },
  },
  {
    reads: ["warehouse.table", "warehouse.materializedViews.*.name", "name"],
    check: (def) => {
      const wh = def.warehouse;
      if (!wh) return [];
      const views = wh.materializedViews ?? [];
      return [
        ...duplicates([wh.table ?? def.name, ...views.map((v) => v.name)]).map((name) => problem("warehouse.materializedViews", name, `"${name}" is used by more than one table or view`)),
        ...views.flatMap((view, i) => identifierProblems(`warehouse.materializedViews[${i}].name`, view.name)),
      ];
    },
  },
  {
    reads: ["warehouse.materializedViews", ...COLUMN_NAMES, ...COLUMN_TYPES],
    check: (def) => {
      const columns = def.warehouse ? warehouseColumns(def) : [];
      return (def.warehouse?.materializedViews ?? []).flatMap((view, i) => viewProblems(`warehouse.materializedViews[${i}]`, view, columns));
    },
  },
];

function viewProblems(at: string, view: View, columns: Column[]): Problems {
  const names = columns.map((c) => c.name);
  const problems: Problems = [];
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

/** The relation a published pipeline's data set reads, with its columns; undefined when `bi.source` names none. */
export function publishedRelation(def: PipelineDefinition): { name: string; columns: Column[] } | undefined {
  const source = def.bi?.source ?? "table";
  const table = { name: def.warehouse?.table ?? def.name, columns: warehouseColumns(def) };
  if (source === "table") return table;
  const view = def.warehouse?.materializedViews?.find((v) => v.name === source);
  return view && { name: view.name, columns: viewColumns(view, table.columns) };
}

const BI_READS = ["bi", "warehouse", ...COLUMN_NAMES, ...COLUMN_TYPES];

const biRules: Rule[] = [
  {
    reads: BI_READS,
    check: (def) => {
      const bi = def.bi;
      if (!bi?.publish) return [];
      if (!def.warehouse) return [problem("bi.publish", true, "needs a warehouse table: QuickSight reads Redshift in Direct Query mode")];
      const relation = publishedRelation(def);
      if (!relation) {
        const options = ["table", ...(def.warehouse.materializedViews ?? []).map((v) => v.name)];
        return [problem("bi.source", bi.source, `is neither "table" nor a materialized view of this pipeline; choose one of: ${options.join(", ")}`)];
      }
      const columns = relation.columns.map((c) => c.name);
      const problems: Problems = [];
      (bi.geographic ?? []).forEach((g, i) => columns.includes(g.column) || problems.push(problem(`bi.geographic[${i}].column`, g.column, `is not a column of the data set's source "${bi.source ?? "table"}"; choose one of: ${columns.join(", ")}`)));
      Object.keys(bi.synonyms ?? {}).forEach((c) => columns.includes(c) || problems.push(problem(`bi.synonyms.${c}`, c, `is not a column of the data set's source "${bi.source ?? "table"}"`)));
      if (relation.name.length > MAX_PUBLISHED_RELATION) {
        problems.push(problem(bi.source && bi.source !== "table" ? "bi.source" : "warehouse.table", relation.name, `is ${relation.name.length} characters; QuickSight names the data set's table after it and takes at most ${MAX_PUBLISHED_RELATION}`));
      }
      return problems;
    },
  },
  {
    // QuickSight's text limits: the data set's name, and every column's description as masking leaves it.
    reads: [...BI_READS, "description", ...COLUMN_DESCRIPTIONS],
    check: (def) => {
      if (!def.bi?.publish || !def.warehouse) return [];
      const problems: Problems = [];
      if (def.bi.friendlyName === undefined && def.description.length > MAX_DATA_SET_NAME) {
        problems.push(problem("description", def.description, `is ${def.description.length} characters and names the QuickSight data set, which takes at most ${MAX_DATA_SET_NAME}: set bi.friendlyName`));
      }
      for (const column of publishedRelation(def)?.columns ?? []) {
        if (column.description.length > MAX_COLUMN_DESCRIPTION) {
          problems.push(problem(descriptionPath(def, column.name), column.description, `is ${column.description.length} characters as QuickSight shows it (masking notes included); QuickSight takes at most ${MAX_COLUMN_DESCRIPTION}`));
        }
      }
      return problems;
    },
  },
];

/** The definition path of the description a published column shows. */
function descriptionPath(def: PipelineDefinition, column: string): string {
  const measure = (def.warehouse?.materializedViews ?? []).flatMap((v, i) => v.measures.map((m, j) => ({ m, at: `warehouse.materializedViews[${i}].measures[${j}]` }))).find(({ m }) => m.name === column);
  if (measure) return `${measure.at}.description`;
  const source = columnSources(def).find((c) => c.name === column);
  return source ? source.path.replace(/\.(name|as)$/, ".description") : "description";
}

function overrideRules(environmentNames: readonly string[]): Rule[] {
  return [
    {
      reads: ["environments:keys"],
      check: (def) =>
        Object.keys(def.environments ?? {}).flatMap((env) =>
          environmentNames.includes(env) ? [] : [problem(`environments.${env}`, env, `is not an environment; choose one of: ${environmentNames.join(", ")}`)],
        ),
    },
    {
      reads: ["environments"],
      check: (def) =>
        Object.entries(def.environments ?? {}).flatMap(([env, o]) =>
          o.workers !== undefined && o.maxWorkers !== undefined && o.maxWorkers < o.workers ? [problem(`environments.${env}.maxWorkers`, o.maxWorkers, `must be >= workers (${o.workers})`)] : [],
        ),
    },
  ];
}

/** Resource names spell a pipeline's name with hyphens, runs of underscores as one: `a__b` and `a_b` are one name there. */
export const resourceSpelling = (pipeline: string): string => pipeline.replace(/_+/g, "-");

/** Rules between pipelines: names, and the warehouse relations they share one schema for. */
export function acrossPipelineProblems(checked: readonly CheckedPipeline[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const named = checked.filter((c) => readsAccepted(c.refused, ["name"]));
  named.forEach(({ label, value }, i) => {
    const earlier = named.slice(0, i).find((other) => resourceSpelling(other.value.name) === resourceSpelling(value.name));
    if (!earlier) return;
    const same = earlier.value.name === value.name;
    problems.push(problem(`${label}.name`, value.name, same ? `is also the name of pipeline #${checked.indexOf(earlier) + 1}; pipeline names must be unique` : `names the same resources as pipeline "${earlier.value.name}" (both become "${resourceSpelling(value.name)}" in resource names); choose a name that differs in more than underscores`));
  });
  // Every pipeline's tables and views live in one warehouse schema.
  const relations = new Map<string, string>();
  for (const { label, value } of checked.filter((c) => readsAccepted(c.refused, ["name", "warehouse.table", "warehouse.materializedViews.*.name"]))) {
    if (!value.warehouse) continue;
    const own = [
      { name: value.warehouse.table ?? value.name, path: "warehouse.table", kind: "table" },
      ...(value.warehouse.materializedViews ?? []).map((v, i) => ({ name: v.name, path: `warehouse.materializedViews[${i}].name`, kind: "materialized view" })),
    ];
    for (const relation of own) {
      const owner = relations.get(relation.name);
      if (owner) problems.push(problem(`${label}.${relation.path}`, relation.name, `is also ${owner} in the warehouse schema; two pipelines never write the same table or name the same view`));
    }
    for (const relation of own) if (!relations.has(relation.name)) relations.set(relation.name, `the ${relation.kind} of ${label}`);
  }
  return problems;
}
