/**
 * docs/security.md states facts the code decides: which checkov checks are skipped, which actions
 * remain on `*`, which roles exist. Each table is compared with its source, so it cannot drift.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadPipelines } from "../../pipelines";
import { REPO_ROOT } from "../delivery/helpers";
import { synthAll } from "../helpers/synth";

const doc = readFileSync(join(REPO_ROOT, "docs", "security.md"), "utf8");

/** The rows of the first table under a heading, as arrays of cells. */
function tableUnder(heading: string): string[][] {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/security.md has no heading "${heading}"`);
  const lines = doc.slice(start).split("\n").slice(2);
  const table = lines.slice(lines.findIndex((l) => l.startsWith("|")));
  const rows = table.slice(0, table.findIndex((l) => !l.startsWith("|")) >>> 0);
  return rows.slice(2).map((row) => row.split("|").slice(1, -1).map((cell) => cell.trim()));
}
const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe("docs/security.md", () => {
  it("lists exactly the checks .checkov.yaml skips, each with its reason and what covers the ground instead", () => {
    const skipped: string[] = parse(readFileSync(join(REPO_ROOT, ".checkov.yaml"), "utf8"))["skip-check"];
    const rows = tableUnder("### Skipped checkov checks");
    expect(rows.map((r) => r[0]).sort()).toEqual([...skipped].sort());
    for (const [check, asks, reason, instead] of rows) expect([check, asks!.length > 5, reason!.length > 40, instead!.length > 5]).toEqual([check, true, true, true]);
  });

  it("lists every action the CI roles and the boundary are granted on `*`, and no other", () => {
    const onStar = new Set<string>();
    for (const { bootstrap } of synthAll()) {
      for (const policy of Object.values<any>((bootstrap.resource as any).aws_iam_policy)) {
        for (const st of JSON.parse(policy.policy).Statement) if (st.Effect === "Allow" && [st.Resource].flat().includes("*")) [st.Action].flat().forEach((a: string) => onStar.add(a));
      }
    }
    const documented = tableUnder("### What remains `*`").flatMap((row) => backticked(row[0]!));
    expect([...new Set(documented)].sort()).toEqual([...onStar].sort());
  });

  it("has a row for every role the stacks create, and none for a role that does not exist", () => {
    const pipelines = loadPipelines(synthAll().map((s) => s.environment.name)).map((p) => p.name.replace(/_/g, "-"));
    const roles = new Set<string>();
    for (const { environment, platform, bootstrap } of synthAll()) {
      for (const json of [platform, bootstrap]) {
        for (const role of Object.values<any>((json.resource as any).aws_iam_role ?? {})) {
          let name = String(role.name).replace(`dp-${environment.name}-`, "dp-<env>-");
          for (const p of pipelines) name = name.replace(`dp-<env>-${p}-`, "dp-<env>-<pipeline>-");
          roles.add(name);
        }
      }
    }
    const documented = tableUnder("## Roles").map((row) => backticked(row[0]!)[0]);
    expect(documented.sort()).toEqual([...roles].sort());
  });
});
