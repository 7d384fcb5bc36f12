/**
 * Which views a pipeline's transform SQL reads, decided the same way at synthesis (here) and at
 * job start (`glue-jobs/platform_etl/sql.py`): the same tokens, the same walk, the same refusals.
 * Both test suites run one corpus of accepted and refused statements
 * (`glue-jobs/tests/fixtures/transform-sql-corpus.json`), so the two cannot drift apart.
 *
 * Not a SQL parser: a tokenizer and a walk over FROM lists that knows where a relation name can
 * stand (after FROM or JOIN, after a comma of a FROM list, first inside a parenthesized join) and
 * where FROM is not a clause (`extract(hour FROM x)`, `trim(BOTH FROM x)`, `substring(x FROM 2)`).
 */

export const EVENTS_VIEW = "events";

export type TransformSqlProblemKind = "not-a-query" | "several-statements" | "qualified-name" | "unknown-view";

export interface TransformSqlProblem {
  readonly kind: TransformSqlProblemKind;
  /** The offending text: the statement, or the relation name. */
  readonly value: string;
  readonly message: string;
}

// Comments, string literals ('…' and Spark's "…"), `quoted` identifiers, words, punctuation, anything else.
const TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")|(`(?:[^`]|``)*`)|([A-Za-z_][A-Za-z0-9_]*)|([(),.;])|(\S)/g;
/** Words that end a FROM clause (ON, USING and JOIN do not: more relations may follow). */
const FROM_ENDERS = new Set(["where", "group", "having", "order", "limit", "union", "intersect", "except", "window", "select", "cluster", "distribute", "sort", "qualify"]);
const QUERY_STARTS = new Set(["select", "with"]);

/** Words (lower-cased), unquoted identifiers and punctuation; comments and string literals removed. */
export function tokenize(sql: string): string[] {
  const tokens: string[] = [];
  for (const [, comment, string, quoted, word, punct, other] of sql.matchAll(TOKEN)) {
    if (comment !== undefined || string !== undefined) continue;
    if (quoted !== undefined) tokens.push(quoted.slice(1, -1).replace(/``/g, "`").toLowerCase());
    else tokens.push((word ?? punct ?? other).toLowerCase());
  }
  return tokens;
}

/** Names a WITH clause defines: `WITH name AS (`, `, name AS (`, each with an optional column list. */
export function cteNames(tokens: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i] !== "with" && tokens[i] !== ",") continue;
    let next = i + 2;
    if (tokens[next] === "(") next = closingParenthesis(tokens, next) + 1;
    if (tokens[next] === "as" && tokens[next + 1] === "(") names.add(tokens[i + 1]);
  }
  return names;
}

function closingParenthesis(tokens: readonly string[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i] === "(") depth++;
    else if (tokens[i] === ")" && --depth === 0) return i;
  }
  return tokens.length;
}

/** False for the FROM inside `extract(x FROM y)`, `trim(BOTH FROM y)`…: a query level starts with SELECT or WITH. */
function isQueryLevel(tokens: readonly string[], index: number): boolean {
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    if (tokens[i] === ")") depth++;
    else if (tokens[i] === "(") {
      if (depth === 0) return QUERY_STARTS.has(tokens[i + 1]);
      depth--;
    }
  }
  return true;
}

/** Relation names after FROM / JOIN, after commas of a FROM list, and first in a parenthesized join, at any depth. */
export function referencedRelations(tokens: readonly string[]): { relations: string[]; qualified: string[] } {
  const relations: string[] = [];
  const qualified: string[] = [];
  const inFrom = [false]; // one flag per parenthesis depth
  let expecting = false;
  tokens.forEach((token, index) => {
    const wasExpecting = expecting;
    expecting = false;
    if (wasExpecting && token !== "(") {
      if (tokens[index + 1] === ".") qualified.push(`${token}.${tokens[index + 2] ?? ""}`);
      else relations.push(token);
    }
    if (token === "(") {
      // After FROM or JOIN, a parenthesis opens a subquery (SELECT/WITH) or a parenthesized join.
      const joinGroup = wasExpecting && !QUERY_STARTS.has(tokens[index + 1]);
      inFrom.push(joinGroup);
      expecting = joinGroup;
    } else if (token === ")") {
      if (inFrom.length > 1) inFrom.pop();
    } else if (token === "from" && isQueryLevel(tokens, index)) {
      inFrom[inFrom.length - 1] = true;
      expecting = true;
    } else if (token === "join" || (token === "," && inFrom[inFrom.length - 1])) {
      expecting = true;
    } else if (FROM_ENDERS.has(token)) {
      inFrom[inFrom.length - 1] = false;
    }
  });
  return { relations, qualified };
}

/** The views a statement reads (its own CTEs excluded), each once, in the order named. */
export function viewsRead(sql: string): string[] {
  const tokens = tokenize(sql);
  const ctes = cteNames(tokens);
  return [...new Set(referencedRelations(tokens).relations.filter((name) => !ctes.has(name)))];
}

/**
 * Problems with a transform statement: it must be one SELECT (or WITH … SELECT) that reads only
 * `events`, the pipeline's reference views and its own CTEs, each by its plain name.
 */
export function transformSqlProblems(sql: string, referenceNames: readonly string[]): TransformSqlProblem[] {
  const tokens = tokenize(sql);
  if (tokens.length === 0 || !QUERY_STARTS.has(tokens[0])) {
    return [{ kind: "not-a-query", value: sql, message: "must be a single query starting with SELECT or WITH" }];
  }
  if (tokens.slice(0, -1).includes(";")) return [{ kind: "several-statements", value: sql, message: "must be a single statement (no ';' before its end)" }];
  const allowed = new Set([EVENTS_VIEW, ...referenceNames.map((n) => n.toLowerCase()), ...cteNames(tokens)]);
  const { relations, qualified } = referencedRelations(tokens);
  return [
    ...qualified.map((name): TransformSqlProblem => ({ kind: "qualified-name", value: name, message: `reads "${name}"; a transform reads only the views ${[...allowed].join(", ")} by their plain names` })),
    ...[...new Set(relations.filter((name) => !allowed.has(name)))].map(
      (name): TransformSqlProblem => ({ kind: "unknown-view", value: name, message: `names a view that does not exist; available views: ${[...allowed].join(", ")}` }),
    ),
  ];
}
