/**
 * The shared corpus of transform SQL, run against the synthesis-time check. The Python suite runs
 * the same file against the job-start check (glue-jobs/tests/test_transform_sql_corpus.py).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { transformSqlProblems, viewsRead } from "../../pipelines/transform-sql";

interface Corpus {
  readonly references: string[];
  readonly accepted: { form: string; sql: string; reads: string[] }[];
  readonly refused: { form: string; sql: string; kind: string; names?: string[] }[];
}

const corpus: Corpus = JSON.parse(readFileSync(join(__dirname, "..", "..", "glue-jobs", "tests", "fixtures", "transform-sql-corpus.json"), "utf8"));

describe("transform SQL, the shared corpus", () => {
  it("holds enough statements to mean something", () => {
    expect(corpus.accepted.length).toBeGreaterThanOrEqual(30);
    expect(corpus.refused.length).toBeGreaterThanOrEqual(15);
  });

  it.each(corpus.accepted)("accepts $form, reading $reads", ({ sql, reads }) => {
    expect(transformSqlProblems(sql, corpus.references)).toEqual([]);
    expect(viewsRead(sql)).toEqual(reads);
  });

  it.each(corpus.refused)("refuses $form ($kind)", ({ sql, kind, names }) => {
    const problems = transformSqlProblems(sql, corpus.references);
    expect(problems.map((p) => p.kind)).toEqual(names ? names.map(() => kind) : [kind]);
    if (names) expect(problems.map((p) => p.value)).toEqual(names);
  });
});
