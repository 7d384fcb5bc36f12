/**
 * One shape for every configuration problem, so that environments, pipelines and the CLI tools
 * report errors the same way: where, what was given, and what would be valid.
 */
export interface ConfigProblem {
  /** Dotted path from the document's root, e.g. `prod.account.id`. */
  readonly path: string;
  /** The offending value, as given (rendered with {@link renderValue}). */
  readonly value: unknown;
  /** What is wrong and what would be valid. */
  readonly message: string;
  /** The file to change, relative to the repository (`environments/prod.ts`); unknown for values built in code. */
  readonly file?: string;
}

/** Thrown when configuration is invalid; carries every problem found, not just the first. */
export class ConfigValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(subject, problems));
    this.name = "ConfigValidationError";
  }
}

const MAX_RENDERED_VALUE = 80;

/** Renders a value for an error message: short, JSON-like, never multi-line. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > MAX_RENDERED_VALUE ? `${text.slice(0, MAX_RENDERED_VALUE - 1)}…` : text;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
const problemLine = (p: ConfigProblem) => `  - ${p.path}: ${renderValue(p.value)}: ${p.message}`;

/** Heading of the problems that come from no file (values built in code, as tests build them). */
const NO_FILE = "(values given in code)";

/** The report: one line per problem, grouped under the file to change when the files are known. */
export function formatProblems(subject: string, problems: readonly ConfigProblem[]): string {
  if (!problems.some((p) => p.file)) return `${subject}: ${plural(problems.length, "problem")}\n${problems.map(problemLine).join("\n")}`;
  const byFile = new Map<string, ConfigProblem[]>();
  for (const p of problems) {
    const file = p.file ?? NO_FILE;
    byFile.set(file, [...(byFile.get(file) ?? []), p]);
  }
  const files = [...byFile.keys()].filter((file) => file !== NO_FILE).length;
  const groups = [...byFile].map(([file, list]) => `${file}\n${list.map(problemLine).join("\n")}`);
  return `${subject}: ${plural(problems.length, "problem")} in ${plural(files, "file")}\n\n${groups.join("\n\n")}`;
}

/** Reads a value at a path of keys/indices; used to show the value a schema rejected. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function joinPath(prefix: string, path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key),
    prefix,
  );
}

/** Where in a document the schema refused a value, as keys and indices. */
export type RefusedPath = readonly (string | number)[];

/**
 * One document (an environment, a pipeline) as validation saw it: the value as given, typed as if
 * valid (rules read only what the schema accepted), and the paths the schema refused.
 */
export interface CheckedDocument<T> {
  /** The root of every problem path: `prod`, `pipelines.attendees`, or `environments[2]`. */
  readonly label: string;
  readonly value: T;
  readonly refused: readonly RefusedPath[];
  /** True when the schema accepted everything. */
  readonly parsed: boolean;
}

/**
 * A rule over a document that passed only part of its schema. `reads` names every path the check
 * looks at (dotted, `*` for any key or index: `schema.fields.*.name`; `sensitive:keys` for the keys
 * of a record but not their values); the rule runs only when the schema refused none of them, so a
 * check never reasons from a value that is already reported as wrong, and one refused field never
 * hides the checks that do not depend on it.
 */
export interface ConfigRule<T> {
  readonly reads: readonly string[];
  /** Further paths, found from what `reads` names (the type of the field `schema.eventId` names, say). */
  readonly readsFound?: (document: T) => readonly string[];
  /** Problems with paths relative to the document. */
  readonly check: (document: T) => readonly ConfigProblem[];
}

/** True when a refused path lies on, under or above the read path. */
function overlaps(read: string, refused: RefusedPath): boolean {
  const keysOnly = read.endsWith(":keys");
  const segments = read.replace(/:keys$/, "").split(".");
  if (keysOnly && refused.length > segments.length) return false;
  const common = Math.min(segments.length, refused.length);
  for (let i = 0; i < common; i++) if (segments[i] !== "*" && segments[i] !== String(refused[i])) return false;
  return true;
}

/** True when the schema refused none of the paths in `reads`. */
export function readsAccepted(refused: readonly RefusedPath[], reads: readonly string[]): boolean {
  return !reads.some((read) => refused.some((path) => overlaps(read, path)));
}

/** Every rule whose reads the schema accepted, run over `document`. */
export function runRules<T>(document: T, refused: readonly RefusedPath[], rules: readonly ConfigRule<T>[]): ConfigProblem[] {
  return rules
    .filter((rule) => readsAccepted(refused, rule.reads) && readsAccepted(refused, rule.readsFound?.(document) ?? []))
    .flatMap((rule) => [...rule.check(document)]);
}

/** The problems of one document, with its label in front of every path. */
export function underLabel(label: string, problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => ({ ...p, path: p.path ? `${label}.${p.path}` : label }));
}

/** Shorthand for building a {@link ConfigProblem}. */
export const problem = (path: string, value: unknown, message: string): ConfigProblem => ({ path, value, message });
