/**
 * A TypeScript check of one raw record against its contract, with the same reason codes and
 * rules as the Glue jobs' `glue-jobs/platform_etl/records.py` (docs/contract.md, "Processing
 * order", steps 1-2). The producer uses it to prove that what it calls valid would pass the job,
 * and that what it calls invalid would land in quarantine. Not checked here: duplicate JSON keys
 * (JSON.parse keeps the last one silently); the generator never writes them.
 */
import type { Contract } from "../../pipelines/contract";

export type ContractField = Contract["fields"][number];
export type RecordVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly message: string };

const INT_RANGE = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const LONG_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const INTEGRAL_STRING = /^-?[0-9]+$/;
const NUMERIC_STRING = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIMESTAMP = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})?$/;
const DECIMAL_TYPE = /^decimal\((\d+),(\d+)\)$/;

class Invalid extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export function validateRecord(contract: Contract, raw: string | Buffer): RecordVerdict {
  try {
    checkRecord(contract, typeof raw === "string" ? Buffer.from(raw, "utf8") : raw);
    return { ok: true };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

function checkRecord(contract: Contract, bytes: Buffer): void {
  if (bytes.length > contract.max_record_bytes) {
    throw new Invalid("record_too_large", `${bytes.length} bytes exceeds max_record_bytes ${contract.max_record_bytes}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Invalid("not_utf8", "payload is not UTF-8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Invalid("invalid_json", "payload is not JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Invalid("not_an_object", "payload is not a JSON object");
  const record = parsed as Record<string, unknown>;
  const declared = new Set(contract.fields.map((f) => f.name));
  if (!contract.allow_unknown_fields) {
    const unknown = Object.keys(record).filter((key) => !declared.has(key));
    if (unknown.length > 0) throw new Invalid("unknown_field", `undeclared field(s): ${unknown.join(", ")}`);
  }
  for (const field of contract.fields) {
    if (!(field.name in record)) {
      if (field.required) throw new Invalid("missing_required_field", `${field.name} is required`);
      continue;
    }
    const value = record[field.name];
    if (value === null) {
      if (field.required) throw new Invalid("null_required_field", `${field.name} is required and null`);
      continue;
    }
    checkValue(field, value);
  }
}

/** Checks one non-null value against its field's type, as the job coerces it. */
export function checkValue(field: ContractField, value: unknown): void {
  const wrong = (expected: string) => new Invalid("wrong_type", `${field.name}: expected ${expected}, got ${JSON.stringify(value)}`);
  const type = field.type;
  if (type === "string") {
    if (typeof value !== "string") throw wrong("a string");
    const length = [...value].length; // code points, as Spark's length() counts
    if (field.max_length !== null && length > field.max_length) {
      throw new Invalid("string_too_long", `${field.name}: ${length} characters exceeds max_length ${field.max_length}`);
    }
  } else if (type === "int" || type === "long") {
    const integral = typeof value === "number" ? Number.isInteger(value) : typeof value === "string" && INTEGRAL_STRING.test(value);
    if (!integral) throw wrong(type);
    const number = BigInt(value as number | string);
    const [low, high] = type === "int" ? INT_RANGE : LONG_RANGE;
    if (number < low || number > high) throw new Invalid("out_of_range", `${field.name}: ${String(value)} is outside the ${type} range`);
  } else if (type === "double") {
    if (!(typeof value === "number" || (typeof value === "string" && NUMERIC_STRING.test(value)))) throw wrong("a number");
    if (!Number.isFinite(Number(value))) throw new Invalid("out_of_range", `${field.name}: ${String(value)} overflows a double`);
  } else if (type === "boolean") {
    if (typeof value !== "boolean" && value !== "true" && value !== "false") throw wrong("true/false");
  } else if (type === "date") {
    if (typeof value !== "string") throw wrong("a YYYY-MM-DD string");
    if (!isCalendarDate(DATE.exec(value))) throw new Invalid("invalid_date", `${field.name}: ${value} is not a YYYY-MM-DD date`);
  } else if (type === "timestamp") {
    checkTimestamp(field, value, wrong);
  } else {
    const decimal = DECIMAL_TYPE.exec(type);
    if (!decimal) throw new Invalid("wrong_type", `${field.name}: unknown contract type ${type}`);
    if (!(typeof value === "number" || (typeof value === "string" && NUMERIC_STRING.test(value)))) throw wrong("a decimal number");
    const [integerDigits, fractionDigits] = decimalDigits(String(value));
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (fractionDigits > scale || integerDigits > precision - scale) {
      throw new Invalid("decimal_out_of_precision", `${field.name}: ${String(value)} does not fit ${type}`);
    }
  }
}

function checkTimestamp(field: ContractField, value: unknown, wrong: (expected: string) => Invalid): void {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw wrong("an ISO-8601 string or epoch millis integer");
    return;
  }
  if (typeof value !== "string") throw wrong("an ISO-8601 string or epoch millis integer");
  const match = TIMESTAMP.exec(value);
  if (!match || !isCalendarDate(match) || Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 59) {
    throw new Invalid("invalid_timestamp", `${field.name}: ${value} is not an ISO-8601 timestamp`);
  }
  if (!match[8]) throw new Invalid("timestamp_without_offset", `${field.name}: ${value} has no Z or UTC offset`);
}

function isCalendarDate(match: RegExpExecArray | null): boolean {
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Integer and fraction digits of a number's value (not spelling: "1.50" has one fraction digit). */
export function decimalDigits(text: string): [number, number] {
  const [mantissa = "0", exponentText = "0"] = text.replace(/^-/, "").toLowerCase().split("e");
  const [whole = "", fraction = ""] = mantissa.split(".");
  const digits = (whole + fraction).replace(/^0+/, "");
  if (digits === "") return [0, 0];
  // value = digits × 10^exponent, with trailing zeros moved into the exponent.
  const trimmed = digits.replace(/0+$/, "");
  const exponent = Number(exponentText) - fraction.length + (digits.length - trimmed.length);
  return [Math.max(0, trimmed.length + exponent), Math.max(0, -exponent)];
}
