import { defaultErrorMap, ZodError, ZodIssue, ZodIssueOptionalMessage, ZodTypeAny, z } from "zod";
import { CheckedDocument, ConfigProblem, ConfigRule, RefusedPath, joinPath, runRules, underLabel, valueAt } from "./validation";

/**
 * Turns zod's issues into {@link ConfigProblem}s that say what would be valid. zod's default
 * messages ("Expected number, received string") say what is wrong but rarely what is right.
 */
export function problemsFromZod(error: ZodError, input: unknown, prefix: string, schema?: ZodTypeAny): ConfigProblem[] {
  return error.issues.flatMap((issue) =>
    // An unknown key is reported where it is, with what it holds: one problem per key.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          path: joinPath(prefix, [...issue.path, key]),
          value: valueAt(input, [...issue.path, key]),
          message: `is not a known key; remove it or check its spelling${validKeys(schema, input, issue.path)}`,
        }))
      : [{ path: joinPath(prefix, issue.path), value: valueAt(input, issue.path), message: describeIssue(issue) }],
  );
}

/** `; valid keys: …` of the object schema at `path`, walked through arrays, records, optionals and unions. */
function validKeys(schema: ZodTypeAny | undefined, input: unknown, path: readonly (string | number)[]): string {
  let current: ZodTypeAny | undefined = schema;
  for (let depth = 0; current && depth <= path.length; ) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodEffects) current = current.innerType();
    else if (current instanceof z.ZodDiscriminatedUnion) current = current.optionsMap.get(valueAt(input, [...path.slice(0, depth), current.discriminator]) as string);
    else if (depth === path.length) break;
    else if (current instanceof z.ZodObject) current = current.shape[path[depth++]] as ZodTypeAny | undefined;
    else if (current instanceof z.ZodArray || current instanceof z.ZodRecord) {
      current = current instanceof z.ZodArray ? current.element : current.valueSchema;
      depth++;
    } else current = undefined;
  }
  return current instanceof z.ZodObject ? `; valid keys: ${Object.keys(current.shape).join(", ")}` : "";
}

/**
 * Checks documents against their schema, then runs every rule whose reads the schema accepted, so
 * that one refused field never hides the rules that do not depend on it.
 */
export function checkDocuments<T>(
  documents: readonly unknown[],
  schema: ZodTypeAny,
  labelOf: (document: unknown, index: number) => string,
  rules: readonly ConfigRule<T>[],
): { checked: CheckedDocument<T>[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const checked = documents.map((document, index): CheckedDocument<T> => {
    const label = labelOf(document, index);
    const result = schema.safeParse(document);
    const refused = result.success ? [] : refusedPaths(result.error);
    const value = (result.success ? result.data : document) as T;
    if (!result.success) problems.push(...problemsFromZod(result.error, document, label, schema));
    problems.push(...underLabel(label, runRules(value, refused, rules)));
    return { label, value, refused, parsed: result.success };
  });
  return { checked, problems };
}

/** The paths zod refused; an unknown key counts as refused at its own path, not at its object's. */
export function refusedPaths(error: ZodError): RefusedPath[] {
  return error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path]));
}

function describeIssue(issue: ZodIssue): string {
  // A schema's own message (`.min(1, "needs …")`) says more than any generic rewording.
  const generic = defaultErrorMap(issue as ZodIssueOptionalMessage, { defaultError: issue.message, data: undefined }).message;
  if (issue.message !== generic) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.received === "undefined"
        ? `is required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${issue.received}`;
    case "invalid_enum_value":
    case "invalid_union_discriminator":
      return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}`;
    case "invalid_literal":
      return `must be ${JSON.stringify(issue.expected)}`;
    case "too_small":
      return issue.type === "array"
        ? `needs at least ${issue.minimum} item(s)`
        : issue.type === "string"
          ? `must be at least ${issue.minimum} character(s) long`
          : `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum}`;
    case "too_big":
      return issue.type === "array"
        ? `takes at most ${issue.maximum} item(s)`
        : issue.type === "string"
          ? `must be at most ${issue.maximum} character(s) long`
          : `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum}`;
    default:
      return issue.message;
  }
}
