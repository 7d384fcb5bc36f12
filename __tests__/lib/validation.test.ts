/** The validation machinery: rules that run where the schema accepted what they read, and the report. */
import { z } from "zod";
import { ConfigRule, ConfigValidationError, problem, runRules } from "../../lib/validation";
import { checkDocuments } from "../../lib/zod-problems";

interface Doc {
  readonly a: { readonly b: number; readonly c: number };
  readonly items: readonly { readonly name: string; readonly size: number }[];
  readonly byKey: Readonly<Record<string, { readonly level: string }>>;
}

const ran = (reads: string[], readsFound?: (d: Doc) => string[]): ConfigRule<Doc> => ({ reads, readsFound, check: () => [problem(reads.join("+"), 0, "ran")] });
const rules = [
  ran(["a.b"]),
  ran(["a"]),
  ran(["a.c"]),
  ran(["items.*.name"]),
  ran(["items.*.size"]),
  ran(["byKey:keys"]),
  ran(["byKey"]),
  ran(["items.*.name"], () => ["items.1.size"]),
  ran(["items.*.name"], () => ["items.0.size"]),
];
const doc: Doc = { a: { b: 1, c: 2 }, items: [{ name: "x", size: 1 }, { name: "y", size: -1 }], byKey: { k: { level: "bad" } } };

describe("runRules", () => {
  it("skips exactly the rules that read a refused path, above it, or below it", () => {
    const found = runRules(doc, [["a", "b"], ["items", 1, "size"], ["byKey", "k", "level"]], rules).map((p) => p.path);
    expect(found).toEqual(["a.c", "items.*.name", "byKey:keys", "items.*.name"]);
  });

  it("skips every rule when the document itself is refused", () => {
    expect(runRules(doc, [[]], rules)).toEqual([]);
  });

  it("runs every rule when nothing is refused", () => {
    expect(runRules(doc, [], rules)).toHaveLength(rules.length);
  });
});

describe("checkDocuments", () => {
  const schema = z.object({ name: z.string(), size: z.number().min(0), colour: z.enum(["red", "blue"]) }).strict();
  const sizeRule: ConfigRule<z.infer<typeof schema>> = { reads: ["name"], check: (d) => (d.name.length > 3 ? [problem("name", d.name, "is long")] : []) };

  it("reports the schema's problems and the rules the schema left readable, under each document's label", () => {
    const { problems, checked } = checkDocuments([{ name: "long", size: -1, colour: "red", colur: "x" }], schema, () => "doc", [sizeRule]);
    expect(problems.map((p) => [p.path, p.value])).toEqual([
      ["doc.size", -1],
      ["doc.colur", "x"],
      ["doc.name", "long"],
    ]);
    expect(problems[1].message).toBe("is not a known key; remove it or check its spelling; valid keys: name, size, colour");
    expect(checked[0].parsed).toBe(false);
  });
});

describe("the report", () => {
  it("lists every problem under its file, and problems without one under their own heading", () => {
    const error = new ConfigValidationError("Invalid configuration", [
      { path: "prod.a", value: 1, message: "m1", file: "environments/prod.ts" },
      { path: "pipelines.x.b", value: "v", message: "m2", file: "pipelines/x.ts" },
      { path: "prod.c", value: true, message: "m3", file: "environments/prod.ts" },
      { path: "environments[3].d", value: undefined, message: "m4" },
    ]);
    expect(error.message).toBe(
      [
        "Invalid configuration: 4 problems in 2 files",
        "",
        "environments/prod.ts",
        "  - prod.a: 1: m1",
        "  - prod.c: true: m3",
        "",
        "pipelines/x.ts",
        '  - pipelines.x.b: "v": m2',
        "",
        "(values given in code)",
        "  - environments[3].d: (missing): m4",
      ].join("\n"),
    );
  });
});
