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

export function formatProblems(subject: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.path}: ${renderValue(p.value)}: ${p.message}`);
  const noun = problems.length === 1 ? "problem" : "problems";
  return `${subject}: ${problems.length} ${noun}\n${lines.join("\n")}`;
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
