import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { ReferenceFormat } from "./types";

/** Where bundled reference files live in the repository. */
export const REFERENCE_DATA_DIR = join(__dirname, "reference-data");

/** Which file endings hold which format: the jobs read csv with a header, json as JSON Lines. */
export const FORMAT_OF_EXTENSION: Readonly<Record<string, ReferenceFormat>> = { ".csv": "csv", ".json": "json", ".jsonl": "json" };

/** A bundled reference file read as the jobs read it (`platform_etl/reference.py`). */
export interface ReferenceFileContents {
  /** The CSV header, or every key of the JSON objects in order of first appearance. */
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Where the file does not parse as its format, by line. */
  readonly problems: readonly string[];
}

/** The file read as `format`; undefined when it does not exist. */
export function readReferenceFile(file: string, format: ReferenceFormat, dir = REFERENCE_DATA_DIR): ReferenceFileContents | undefined {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  return format === "csv" ? readCsv(text) : readJsonLines(text);
}

/** Columns of a bundled reference file, read in the format its ending names; undefined when it does not exist. */
export function referenceFileColumns(file: string, dir = REFERENCE_DATA_DIR): string[] | undefined {
  const contents = readReferenceFile(file, FORMAT_OF_EXTENSION[extname(file)] ?? "csv", dir);
  return contents && [...contents.columns];
}

function readJsonLines(text: string): ReferenceFileContents {
  const rows: Record<string, unknown>[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      const row: unknown = JSON.parse(line);
      if (row === null || typeof row !== "object" || Array.isArray(row)) problems.push(`line ${index + 1} is not a JSON object; json reference data is JSON Lines, one object per line`);
      else rows.push(row as Record<string, unknown>);
    } catch {
      problems.push(`line ${index + 1} is not JSON; json reference data is JSON Lines, one object per line`);
    }
  });
  if (rows.length === 0 && problems.length === 0) problems.push("holds no rows");
  return { columns: [...new Set(rows.flatMap((row) => Object.keys(row)))], rows, problems };
}

/**
 * CSV as Python's `csv` module and Spark's reader take it: a header row, fields separated by commas,
 * double quotes around fields that contain commas, quotes or line breaks ("" inside quotes is one
 * quote). Hand-written because only the header and the join key are needed; a CSV library would be
 * a runtime dependency of synthesis for twenty lines.
 */
function readCsv(text: string): ReferenceFileContents {
  const records = csvRecords(text);
  const [header, ...body] = records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ""));
  if (!header) return { columns: [], rows: [], problems: ["is empty; csv reference data needs a header row"] };
  const problems: string[] = [];
  const columns = header.fields.map((c) => c.trim());
  columns.forEach((c, i) => {
    if (c === "") problems.push(`header column ${i + 1} has no name`);
    else if (columns.indexOf(c) < i) problems.push(`header names column "${c}" twice`);
  });
  const rows = body.map((record) => {
    if (record.fields.length !== columns.length) problems.push(`line ${record.line} has ${record.fields.length} fields; the header has ${columns.length}`);
    // Empty cells read as null, as the jobs' CSV readers do.
    return Object.fromEntries(columns.map((c, i) => [c, record.fields[i] === "" ? null : record.fields[i] ?? null]));
  });
  return { columns, rows, problems };
}

function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordStart = 1;
  const endRecord = () => {
    records.push({ line: recordStart, fields: [...fields, field] });
    fields = [];
    field = "";
    recordStart = line;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n") endRecord();
    else if (c !== "\r") field += c;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}
