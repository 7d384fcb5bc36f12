/**
 * EventBridge event patterns as data, and a matcher with EventBridge's semantics for the subset the
 * platform uses (exact values, prefix, suffix, wildcard, anything-but, exists), so that tests can
 * evaluate a rule's pattern against real event shapes offline.
 *
 * Semantics (EventBridge user guide, "Event patterns"): every field named in the pattern must
 * match (AND); the values listed for one field are alternatives (OR); a field absent from the
 * pattern matches anything; matching is case-sensitive; an array in the event matches when any
 * element matches.
 */
export type ContentFilter =
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly "anything-but": string | number | readonly (string | number)[] | { readonly prefix: string } | { readonly suffix: string } | { readonly wildcard: string } };

export type PatternValue = string | number | boolean | null | ContentFilter;

export interface EventPattern {
  readonly [field: string]: readonly PatternValue[] | EventPattern;
}

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (event === null || typeof event !== "object" || Array.isArray(event)) return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = record[field];
    if (Array.isArray(expected)) return matchesField(expected as readonly PatternValue[], actual);
    return actual !== undefined && matchesPattern(expected as EventPattern, actual);
  });
}

function matchesField(alternatives: readonly PatternValue[], actual: unknown): boolean {
  return alternatives.some((alternative) => {
    if (alternative !== null && typeof alternative === "object") {
      if ("exists" in alternative) return alternative.exists === (actual !== undefined);
      if (actual === undefined) return false;
      const values = Array.isArray(actual) ? actual : [actual];
      return values.some((value) => matchesFilter(alternative, value));
    }
    const values = Array.isArray(actual) ? actual : [actual];
    return values.some((value) => value === alternative);
  });
}

function matchesFilter(filter: Exclude<ContentFilter, { exists: boolean }>, value: unknown): boolean {
  if ("prefix" in filter) return typeof value === "string" && value.startsWith(filter.prefix);
  if ("suffix" in filter) return typeof value === "string" && value.endsWith(filter.suffix);
  if ("wildcard" in filter) return typeof value === "string" && wildcardMatches(filter.wildcard, value);
  const excluded = filter["anything-but"];
  if (Array.isArray(excluded)) return !excluded.includes(value as string | number);
  if (excluded !== null && typeof excluded === "object") return !matchesFilter(excluded as Exclude<ContentFilter, { exists: boolean }>, value);
  return value !== excluded;
}

/** EventBridge wildcards: `*` matches any run of characters (slashes included); `\*` is a literal star. */
export function wildcardMatches(wildcard: string, value: string): boolean {
  const source = wildcard
    .split(/(\\\*|\*)/)
    .map((part) => (part === "*" ? ".*" : part === "\\*" ? "\\*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "s").test(value);
}
