/**
 * Values the generator draws join keys from: the bundled reference files the pipeline ships, so
 * that generated events actually join (a country code the countries table knows, a session id the
 * sessions list knows). References in S3 are not read: their fields fall back to generic values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REFERENCE_DATA_DIR } from "../../pipelines/compile";
import type { CompiledPipeline } from "../../pipelines";

/** Splits one CSV line, honouring double quotes (`SH,"Saint Helena, Ascension…",Africa`). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") cells.push(cell), (cell = "");
    else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** The values of one column of a reference file's text (CSV with a header row, or JSON lines). */
export function columnValues(text: string, format: string, column: string): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (format === "csv") {
    const [header = "", ...rows] = lines;
    const position = parseCsvLine(header).map((c) => c.trim()).indexOf(column);
    if (position < 0) throw new Error(`reference CSV has no column ${column}; its header is: ${header}`);
    return rows.map((row) => parseCsvLine(row)[position]?.trim() ?? "").filter((v) => v !== "");
  }
  return lines.map((line) => (JSON.parse(line) as Record<string, unknown>)[column]).filter((v) => v !== undefined && v !== null).map(String);
}

/** Per event field, the reference-key values of the bundled reference it joins to. */
export function loadReferenceValues(pipeline: CompiledPipeline): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const reference of pipeline.contract.references) {
    const file = pipeline.referenceFiles.find((f) => f.reference === reference.name);
    if (reference.location.kind !== "bundled" || !file) continue;
    values[reference.event_key] = columnValues(readFileSync(file.path, "utf8"), reference.format, reference.reference_key);
  }
  return values;
}

/** ISO 3166-1 alpha-2 codes from the shipped countries table. */
export function loadCountryCodes(dir = REFERENCE_DATA_DIR): string[] {
  return columnValues(readFileSync(join(dir, "countries.csv"), "utf8"), "csv", "code");
}
