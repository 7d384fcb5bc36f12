import { defaultErrorMap, ZodError, ZodIssue, ZodIssueOptionalMessage } from "zod";
import { ConfigProblem, joinPath, valueAt } from "./validation";

/**
 * Turns zod's issues into {@link ConfigProblem}s that say what would be valid. zod's default
 * messages ("Expected number, received string") say what is wrong but rarely what is right.
 */
export function problemsFromZod(error: ZodError, input: unknown, prefix: string): ConfigProblem[] {
  return error.issues.map((issue) => ({
    path: joinPath(prefix, issue.path),
    value: valueAt(input, issue.path),
    message: describeIssue(issue),
  }));
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
    case "unrecognized_keys":
      return `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}; remove them or check the spelling`;
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
