import type { EnvironmentEstimate } from "./estimate";
import { money, type CostReport } from "./render";

/**
 * One environment's estimate on a pull request's head next to the base branch's, as the markdown
 * the pull-request workflow appends to that environment's plan comment.
 */

const change = (base: number, head: number): string => {
  const delta = Math.round((head - base) * 100) / 100;
  if (delta === 0) return "no change";
  const percent = base > 0 ? ` (${delta > 0 ? "+" : ""}${((delta / base) * 100).toFixed(1)}%)` : "";
  return `${delta > 0 ? "+" : "−"}${money(Math.abs(delta))}${percent}`;
};

/** Changed lines shown in a comment; the rest are counted (the plan summary shares the comment's size). */
export const MAX_CHANGED_LINES = 40;

/** Per resource line: what the head adds, removes or prices differently. */
function lineChanges(base: EnvironmentEstimate, head: EnvironmentEstimate): string[] {
  const key = (l: EnvironmentEstimate["lines"][number]) => `${l.address} · ${l.item}`;
  const before = new Map(base.lines.map((l) => [key(l), l]));
  const after = new Map(head.lines.map((l) => [key(l), l]));
  const rows: string[] = [];
  for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(k);
    const h = after.get(k);
    const [bf, hf, bp, hp] = [b?.floorUsd ?? 0, h?.floorUsd ?? 0, b?.estimateUsd ?? 0, h?.estimateUsd ?? 0];
    if (Math.round(bf * 100) === Math.round(hf * 100) && Math.round(bp * 100) === Math.round(hp * 100)) continue;
    const what = !b ? "added" : !h ? "removed" : "changed";
    rows.push(`| \`${k}\` | ${what} | ${change(bf, hf)} | ${change(bp, hp)} |`);
  }
  return rows.length > MAX_CHANGED_LINES ? [...rows.slice(0, MAX_CHANGED_LINES), `| … and ${rows.length - MAX_CHANGED_LINES} more (\`npm run cost -- --format json\`) | | | |`] : rows;
}

export function renderDiff(env: string, head: CostReport, base?: CostReport): string {
  const h = head.environments.find((e) => e.environment === env);
  if (!h) throw new Error(`the head estimate has no environment ${env}`);
  const b = base?.environments.find((e) => e.environment === env);
  const out = [`#### Cost estimate: ${env}`, "", `USD a month, ${h.region} list prices of ${h.priceTableAsOf} (\`npm run cost -- --env ${env}\`, docs/cost.md).`, ""];
  if (!b) {
    out.push("| | This pull request |", "| --- | ---: |", `| Idle floor (no data flowing) | ${money(h.idleFloorUsd)} |`, `| At the usage profile | ${money(h.estimateUsd)} |`, "");
    out.push(base ? `The base branch has no ${env} environment.` : "The base branch has no cost estimate to compare with.", "");
  } else {
    out.push(
      "| | Base | This pull request | Change |",
      "| --- | ---: | ---: | ---: |",
      `| Idle floor (no data flowing) | ${money(b.idleFloorUsd)} | ${money(h.idleFloorUsd)} | ${change(b.idleFloorUsd, h.idleFloorUsd)} |`,
      `| At the usage profile | ${money(b.estimateUsd)} | ${money(h.estimateUsd)} | ${change(b.estimateUsd, h.estimateUsd)} |`,
      "",
    );
    const modules = [...new Set([...b.modules, ...h.modules].map((m) => m.module))].sort();
    const moduleRows = modules.flatMap((m) => {
      const bm = b.modules.find((x) => x.module === m) ?? { floorUsd: 0, estimateUsd: 0 };
      const hm = h.modules.find((x) => x.module === m) ?? { floorUsd: 0, estimateUsd: 0 };
      if (Math.round(bm.floorUsd * 100) === Math.round(hm.floorUsd * 100) && Math.round(bm.estimateUsd * 100) === Math.round(hm.estimateUsd * 100)) return [];
      return [`| ${m} | ${change(bm.floorUsd, hm.floorUsd)} | ${change(bm.estimateUsd, hm.estimateUsd)} |`];
    });
    if (moduleRows.length === 0) out.push("No module's cost changes.", "");
    else {
      out.push("| Module | Idle floor | At the profile |", "| --- | ---: | ---: |", ...moduleRows, "");
      const lines = lineChanges(b, h);
      out.push("<details><summary>Changed lines</summary>", "", "| Resource · item | | Idle floor | At the profile |", "| --- | --- | ---: | ---: |", ...lines, "", "</details>", "");
    }
  }
  if (h.unpriced.length) out.push(`> [!WARNING]\n> ${h.unpriced.length} resource(s) this tool cannot price, missing from the totals: ${h.unpriced.map((u) => `\`${u.address}\``).join(", ")}.`, "");
  return out.join("\n");
}
