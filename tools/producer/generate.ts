/**
 * Realistic, reproducible events for any pipeline, built from its contract: the same contract,
 * seed and anchor time always give the same events. Fields get a generator by their role (event
 * id, event time, reference join key), then their sensitive classification, then their name, and
 * finally their type, so a pipeline nobody wrote generators for still gets valid events.
 */
import type { Contract } from "../../pipelines/contract";
import { Random, chance, deriveRandom, hexString, intBetween, pick, pickWeighted } from "./prng";
import type { ContractField } from "./validate-record";
import { COMPANIES, FIRST_NAMES, JOB_TITLES, LAST_NAMES, NOTE_TEMPLATES, PHONE_FORMATS, TEST_CARD_NUMBERS, TICKET_TYPES, WORDS } from "./vocabulary";

export interface GeneratorInputs {
  readonly contract: Contract;
  readonly seed: number;
  /** Event times fall in the 30 days before this instant. */
  readonly anchor: Date;
  /** Share of records made invalid on purpose, in [0, 1]. */
  readonly badRatio: number;
  /** Allowed values per field, from the references the field joins to (e.g. country codes). */
  readonly referenceValues: Readonly<Record<string, readonly string[]>>;
  /** ISO 3166-1 alpha-2 codes for country fields that join to no reference. */
  readonly countryCodes: readonly string[];
}

/** A deliberate contract violation, and the quarantine reason the job must give it. */
export type Defect =
  | "missing_required_field"
  | "null_required_field"
  | "wrong_type"
  | "string_too_long"
  | "timestamp_without_offset"
  | "unknown_field"
  | "invalid_json";

export interface GeneratedEvent {
  /** 0-based position in the run. */
  readonly index: number;
  /** The event id, also the Kinesis partition key (so a key's events stay on one shard, in order). */
  readonly eventId: string;
  /** The payload exactly as sent: compact JSON (or, for `invalid_json`, not quite). */
  readonly data: string;
  /** `null` for a valid event. */
  readonly defect: Defect | null;
}

export const EVENT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** Optional fields are sometimes null, as real forms leave them empty. */
const OPTIONAL_NULL_CHANCE = 0.1;
/** How many distinct ids a non-event id field (an attendee scanned at a door) draws from. */
const ID_POOL_SIZE = 200;

/** Per-event context, so that the e-mail matches the name and the company. */
interface Persona {
  readonly first: string;
  readonly last: string;
  readonly company: string;
}

type FieldGenerator = (random: Random, persona: Persona, index: number) => unknown;

export function* generateEvents(inputs: GeneratorInputs, count: number): Generator<GeneratedEvent> {
  checkInputs(inputs, count);
  const { contract } = inputs;
  // Separate streams: the defect draws never shift the values, so --bad-ratio 0 and 0.05 share their good events.
  const random = deriveRandom(inputs.seed, `events:${contract.pipeline}`);
  const defects = deriveRandom(inputs.seed, `defects:${contract.pipeline}`);
  const generators = new Map(contract.fields.map((field) => [field.name, generatorFor(field, inputs)] as const));
  const idField = contract.fields.find((f) => f.name === contract.event_id_field);
  if (!idField) throw new Error(`contract ${contract.pipeline}: event_id_field ${contract.event_id_field} is not one of its fields`);

  for (let index = 0; index < count; index++) {
    const persona: Persona = { first: pick(random, FIRST_NAMES), last: pick(random, LAST_NAMES), company: pick(random, COMPANIES) };
    const record: Record<string, unknown> = {};
    for (const field of contract.fields) {
      const value = generators.get(field.name)!(random, persona, index);
      if (!field.required && field.name !== contract.event_id_field && chance(random, OPTIONAL_NULL_CHANCE)) record[field.name] = null;
      else record[field.name] = value;
    }
    const eventId = String(record[contract.event_id_field]);
    const defect = inputs.badRatio > 0 && chance(defects, inputs.badRatio) ? pick(defects, applicableDefects(contract)) : null;
    const data = defect ? corrupt(record, defect, contract, defects) : JSON.stringify(record);
    yield { index, eventId, data, defect };
  }
}

function checkInputs(inputs: GeneratorInputs, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, not ${count}`);
  if (!(inputs.badRatio >= 0 && inputs.badRatio <= 1)) throw new RangeError(`badRatio must be between 0 and 1, not ${inputs.badRatio}`);
  if (Number.isNaN(inputs.anchor.getTime())) throw new RangeError("anchor must be a valid date");
}

/** The generator of one field: by role, classification, name, then type. */
export function generatorFor(field: ContractField, inputs: GeneratorInputs): FieldGenerator {
  const { contract } = inputs;
  const classification = contract.sensitive.find((s) => s.field === field.name)?.classification;
  const name = field.name.toLowerCase();
  const fit = (value: string) => truncate(value, field.max_length);

  if (field.name === contract.event_id_field) return eventIdGenerator(field, inputs.seed);
  if (field.type === "timestamp") return (random) => new Date(inputs.anchor.getTime() - Math.floor(random() * EVENT_WINDOW_DAYS * DAY_MS)).toISOString();
  if (field.type !== "string") return typeGenerator(field, inputs.anchor);

  const joined = inputs.referenceValues[field.name];
  if (joined && joined.length > 0) return (random) => fit(pick(random, joined));
  switch (classification) {
    case "email":
      return (random, persona) => fit(email(persona, random));
    case "phone":
      return (random) => fit(phone(random));
    case "person_name":
      return (_random, persona) => fit(personName(name, persona));
    case "ip_address":
      return (random) => ipAddress(random, field.max_length);
    case "credit_card":
      return (random) => fit(pick(random, TEST_CARD_NUMBERS));
    case "free_text":
      return (random, persona) => fit(note(random, persona));
  }
  if (/country/.test(name) && (field.max_length ?? 2) >= 2 && inputs.countryCodes.length > 0) return (random) => pick(random, inputs.countryCodes);
  if (/e_?mail/.test(name)) return (random, persona) => fit(email(persona, random));
  if (/phone|mobile/.test(name)) return (random) => fit(phone(random));
  if (/(^|_)(full_|first_|last_|display_)?name$/.test(name)) return (_random, persona) => fit(personName(name, persona));
  if (/(^|_)ip(_address)?($|_)/.test(name)) return (random) => ipAddress(random, field.max_length);
  if (/company|employer|organi[sz]ation/.test(name)) return (_random, persona) => fit(persona.company);
  if (/job_title|(^|_)role$|position/.test(name)) return (random) => fit(pick(random, JOB_TITLES));
  if (/ticket/.test(name)) return (random) => fit(pickWeighted(random, TICKET_TYPES));
  if (/notes?$|comment|remarks/.test(name)) return (random, persona) => fit(note(random, persona));
  if (/_id$/.test(name)) return idPoolGenerator(field, inputs.seed);
  return (random) => fit(words(random, intBetween(random, 1, 4)));
}

/** Unique within a run by construction (the index is part of it); the seed part keeps runs apart. */
function eventIdGenerator(field: ContractField, seed: number): FieldGenerator {
  const runTag = hexString(deriveRandom(seed, `run:${field.name}`), 8);
  if (field.type === "int") return (_random, _persona, index) => (seed % 200_000) * 10_000 + index;
  if (field.type === "long") return (_random, _persona, index) => (seed % 1_000_000) * 1_000_000_000 + index;
  const prefix = idPrefix(field.name);
  return (_random, _persona, index) => {
    const id = `${prefix}-${runTag}-${index.toString().padStart(6, "0")}`;
    if (field.max_length !== null && id.length > field.max_length) {
      throw new RangeError(`event id field ${field.name} has max_length ${field.max_length}; generated ids need ${id.length} characters`);
    }
    return id;
  };
}

/** Ids of other entities (an attendee scanned at a door) come from a small pool, so they repeat as in life. */
function idPoolGenerator(field: ContractField, seed: number): FieldGenerator {
  const random = deriveRandom(seed, `pool:${field.name}`);
  const prefix = idPrefix(field.name);
  const pool = Array.from({ length: ID_POOL_SIZE }, () => truncate(`${prefix}-${hexString(random, 8)}-${intBetween(random, 0, 999_999).toString().padStart(6, "0")}`, field.max_length));
  return (r) => pick(r, pool);
}

const idPrefix = (fieldName: string): string => fieldName.replace(/_?id$/i, "").replace(/[^a-z]/gi, "").slice(0, 3).toLowerCase() || "id";

function typeGenerator(field: ContractField, anchor: Date): FieldGenerator {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(field.type);
  if (decimal) {
    const integerDigits = Math.min(Number(decimal[1]) - Number(decimal[2]), 6);
    const scale = Number(decimal[2]);
    return (random) => {
      const whole = integerDigits > 0 ? String(intBetween(random, 0, 10 ** integerDigits - 1)) : "0";
      return scale > 0 ? `${whole}.${String(intBetween(random, 0, 10 ** Math.min(scale, 6) - 1)).padStart(Math.min(scale, 6), "0")}` : whole;
    };
  }
  switch (field.type) {
    case "int":
      return (random) => intBetween(random, 0, 10_000);
    case "long":
      return (random) => intBetween(random, 0, 1_000_000_000_000);
    case "double":
      return (random) => Math.round(random() * 1_000_000) / 100;
    case "boolean":
      return (random) => chance(random, 0.5);
    case "date":
      return (random) => new Date(anchor.getTime() - Math.floor(random() * EVENT_WINDOW_DAYS) * DAY_MS).toISOString().slice(0, 10);
    default:
      throw new Error(`field ${field.name}: no generator for contract type ${field.type}`);
  }
}

const truncate = (value: string, maxLength: number | null): string => (maxLength === null ? value : [...value].slice(0, maxLength).join(""));

/** ASCII local part: diacritics dropped, spaces and apostrophes removed. */
const slug = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/gi, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");

function email(persona: Persona, random: Random): string {
  const local = pickWeighted(random, [
    [`${slug(persona.first)}.${slug(persona.last)}`, 6],
    [`${slug(persona.first).charAt(0)}${slug(persona.last)}`, 3],
    [`${slug(persona.first)}${intBetween(random, 1, 99)}`, 1],
  ]);
  return `${local || "attendee"}@${slug(persona.company)}.example.com`;
}

function personName(fieldName: string, persona: Persona): string {
  if (/first/.test(fieldName)) return persona.first;
  if (/last/.test(fieldName)) return persona.last;
  return `${persona.first} ${persona.last}`;
}

function phone(random: Random): string {
  return pick(random, PHONE_FORMATS).replace(/#/g, () => String(intBetween(random, 0, 9)));
}

/** Scanners sit on private networks; a few on IPv6, all from private or documentation ranges. */
function ipAddress(random: Random, maxLength: number | null): string {
  if ((maxLength ?? 45) >= 39 && chance(random, 0.15)) return `fd00:dc:${hexString(random, 4)}::${hexString(random, 4)}`;
  return pickWeighted(random, [
    [`10.20.${intBetween(random, 0, 255)}.${intBetween(random, 1, 254)}`, 8],
    [`192.0.2.${intBetween(random, 1, 254)}`, 2],
  ]);
}

function note(random: Random, persona: Persona): string {
  return pick(random, NOTE_TEMPLATES)
    .replace("{email}", email({ ...persona, first: pick(random, FIRST_NAMES) }, random))
    .replace("{phone}", phone(random));
}

function words(random: Random, count: number): string {
  return Array.from({ length: count }, () => pick(random, WORDS)).join(" ");
}

/** The defects this contract can express (no unknown field where unknown fields are allowed, ...). */
export function applicableDefects(contract: Contract): Defect[] {
  const defects: Defect[] = ["invalid_json", "wrong_type", "timestamp_without_offset"];
  if (contract.fields.some((f) => f.required && f.name !== contract.event_time_field)) defects.push("missing_required_field", "null_required_field");
  if (contract.fields.some((f) => f.type === "string" && f.max_length !== null)) defects.push("string_too_long");
  if (!contract.allow_unknown_fields) defects.push("unknown_field");
  return defects;
}

/** Breaks a valid record in one specific way; returns the payload to send. */
export function corrupt(record: Readonly<Record<string, unknown>>, defect: Defect, contract: Contract, random: Random): string {
  const broken: Record<string, unknown> = { ...record };
  const eventTime = contract.event_time_field;
  switch (defect) {
    case "invalid_json":
      return JSON.stringify(broken).slice(0, -1); // a producer that crashed mid-write
    case "wrong_type": {
      const field = pick(random, contract.fields.filter((f) => f.required));
      broken[field.name] = field.type === "string" ? 12345 : field.type === "boolean" ? "maybe" : ["not", "a", field.type];
      break;
    }
    case "timestamp_without_offset":
      broken[eventTime] = String(broken[eventTime]).replace(/Z$/, "");
      break;
    case "missing_required_field":
      delete broken[pick(random, contract.fields.filter((f) => f.required && f.name !== eventTime)).name];
      break;
    case "null_required_field":
      broken[pick(random, contract.fields.filter((f) => f.required && f.name !== eventTime)).name] = null;
      break;
    case "string_too_long": {
      const field = pick(random, contract.fields.filter((f) => f.type === "string" && f.max_length !== null));
      broken[field.name] = "x".repeat((field.max_length ?? 0) + 1);
      break;
    }
    case "unknown_field":
      broken.unexpected_field = "not in the contract";
      break;
  }
  return JSON.stringify(broken);
}
