import type { EnvironmentEstimate, EstimateLine } from "./estimate";
import type { PriceTable } from "./price-table";

export type OutputFormat = "md" | "json" | "text";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["md", "json", "text"];

/** What `npm run cost -- --format json` prints, and what `cost-diff` reads back. */
export interface CostReport {
  readonly tool: "cost";
  readonly priceTable: { readonly asOf: string; readonly currency: string; readonly regions: readonly string[] };
  readonly environments: readonly EnvironmentEstimate[];
}

export function costReport(estimates: readonly EnvironmentEstimate[], table: PriceTable): CostReport {
  return { tool: "cost", priceTable: { asOf: table.asOf, currency: table.currency, regions: Object.keys(table.regions) }, environments: estimates };
}

export const money = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const quantity = (n: number): string => (n === 0 ? "0" : n >= 100 ? n.toLocaleString("en-US", { maximumFractionDigits: 0 }) : n.toPrecision(3).replace(/\.?0+$/, ""));
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderReport(report: CostReport, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  return report.environments.map((e) => (format === "md" ? markdown(e) : text(e))).join("\n");
}

function markdown(e: EnvironmentEstimate): string {
  const out = [
    `### Cost estimate: ${e.environment}`,
    "",
    `${e.region}, prices of ${e.priceTableAsOf}, USD a month; streaming jobs: \`${e.streamingJobs}\`.`,
    "",
    "| | Monthly |",
    "| --- | ---: |",
    `| Idle floor (no data flowing) | ${money(e.idleFloorUsd)} |`,
    `| At the usage profile | ${money(e.estimateUsd)} |`,
    "",
    "| Module | Idle floor | At the profile |",
    "| --- | ---: | ---: |",
    ...e.modules.map((m) => `| ${m.module} | ${money(m.floorUsd)} | ${money(m.estimateUsd)} |`),
    "",
    "<details><summary>Per resource</summary>",
    "",
    "| Resource | Item | Unit price | Idle | Profile | Idle $ | Profile $ | Basis |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...e.lines.filter((l) => l.floorUsd > 0 || l.estimateUsd > 0 || l.floorQuantity > 0 || l.profileQuantity > 0).map(markdownLine),
    "",
    `${e.lines.filter((l) => l.floorQuantity === 0 && l.profileQuantity === 0).length} priced line(s) with nothing to bill at either level, and ${e.free.length} resource(s) that bill nothing themselves, are left out (see --format json).`,
    "",
    "</details>",
    "",
  ];
  out.push(e.unpriced.length ? `**Not priced (${e.unpriced.length})**: ${e.unpriced.map((u) => `\`${u.address}\``).join(", ")}. Their cost is missing from the totals.` : "Every resource is priced or known to bill nothing.", "");
  out.push("<details><summary>Assumptions</summary>", "", ...e.assumptions.map((a) => `- ${a}`), "");
  if (e.unconfirmedPrices.length) {
    out.push(`Prices not confirmed in a cited copy when recorded (check with the Price List API): ${e.unconfirmedPrices.map((p) => `\`${p.key}\` ${p.usd} per ${p.unit}`).join("; ")}.`, "");
  }
  out.push("</details>", "");
  return out.join("\n");
}

function markdownLine(l: EstimateLine): string {
  return `| \`${l.address}\` | ${cell(l.item)} | ${l.unitUsd} / ${cell(l.unit)} | ${quantity(l.floorQuantity)} | ${quantity(l.profileQuantity)} | ${money(l.floorUsd)} | ${money(l.estimateUsd)} | ${cell(l.basis)} |`;
}

function text(e: EnvironmentEstimate): string {
  const width = Math.max(...e.modules.map((m) => m.module.length), 12);
  const out = [
    `Cost estimate: ${e.environment} (${e.region}, prices of ${e.priceTableAsOf}, USD a month; streaming jobs: ${e.streamingJobs})`,
    `  idle floor (no data flowing)  ${money(e.idleFloorUsd).padStart(12)}`,
    `  at the usage profile          ${money(e.estimateUsd).padStart(12)}`,
    "",
    `  ${"module".padEnd(width)}  ${"idle".padStart(12)}  ${"profile".padStart(12)}`,
    ...e.modules.map((m) => `  ${m.module.padEnd(width)}  ${money(m.floorUsd).padStart(12)}  ${money(m.estimateUsd).padStart(12)}`),
    "",
    "  per resource (idle / profile):",
    ...e.lines.filter((l) => l.floorUsd > 0 || l.estimateUsd > 0).map((l) => `    ${l.address}  ${l.item}: ${money(l.floorUsd)} / ${money(l.estimateUsd)}  (${l.basis})`),
    "",
    e.unpriced.length ? `  NOT PRICED (missing from the totals): ${e.unpriced.map((u) => u.address).join(", ")}` : "  every resource is priced or known to bill nothing",
    "",
    "  assumptions:",
    ...e.assumptions.map((a) => `    - ${a}`),
    ...(e.unconfirmedPrices.length ? [`  unconfirmed prices: ${e.unconfirmedPrices.map((p) => p.key).join(", ")}`] : []),
    "",
  ];
  return out.join("\n");
}
