/**
 * The summary as a small format-neutral document (headings, notes, tables), so Markdown and plain
 * text render the same content and cannot drift apart.
 */
import type { PlanAction, ResourceChangeSummary } from "./parse";
import { COUNTED_ACTIONS, type PlanSummary } from "./summarize";

/** A table cell: plain text, or code (addresses, types, attribute names) shown verbatim. */
export type Cell = string | { readonly code: string };

export type Block =
  | { readonly kind: "heading"; readonly text: string }
  | { readonly kind: "note"; readonly tone: "info" | "warning" | "caution"; readonly text: string }
  | { readonly kind: "table"; readonly columns: readonly string[]; readonly rows: ReadonlyArray<readonly Cell[]>; readonly caption: string };

type TableContent = Pick<Extract<Block, { kind: "table" }>, "columns" | "rows">;

export interface SummaryDocument {
  readonly env: string;
  /** What the hidden comment marker names: the environment, or `<env>/<stack>` for one stack's plan. */
  readonly marker: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

const ACTION_TITLES: Record<PlanAction, string> = {
  create: "Create",
  update: "Update in place",
  replace: "Replace (destroy and re-create)",
  delete: "Delete",
  forget: "Forget (leave in AWS, drop from state)",
  read: "Read (data sources)",
  "no-op": "Unchanged",
};

const code = (text: string): Cell => ({ code: text });
const moduleCell = (change: ResourceChangeSummary): Cell => (change.modulePath ? code(change.modulePath) : "(root)");
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

function replaceDescription(change: ResourceChangeSummary): string {
  const order = change.replaceOrder === "create-first" ? "create before destroy" : "destroy before create";
  return change.actionReason ? `${change.actionReason} (${order})` : order;
}

function changedAttributesText(change: ResourceChangeSummary): string {
  const hidden = change.sensitiveChangedAttributes > 0 ? [`${plural(change.sensitiveChangedAttributes, "sensitive attribute")} (hidden)`] : [];
  return [...change.changedAttributes, ...hidden].join(", ") || "—";
}

/** Columns per action: what a reviewer needs to judge that kind of change. */
function rowsFor(action: PlanAction, changes: readonly ResourceChangeSummary[]): TableContent {
  const base = (change: ResourceChangeSummary): Cell[] => [code(change.address), code(change.type), moduleCell(change)];
  switch (action) {
    case "replace":
      return {
        columns: ["Resource", "Type", "Module", "Reason", "Forced by"],
        rows: changes.map((c) => [...base(c), replaceDescription(c), c.replacePaths.length ? code(c.replacePaths.join(", ")) : "—"]),
      };
    case "update":
      return {
        columns: ["Resource", "Type", "Module", "Changed attributes"],
        rows: changes.map((c) => [...base(c), changedAttributesText(c)]),
      };
    case "delete":
    case "forget":
      return {
        columns: ["Resource", "Type", "Module", "Reason"],
        rows: changes.map((c) => [...base(c), c.actionReason ? code(c.actionReason) : "—"]),
      };
    default:
      return { columns: ["Resource", "Type", "Module"], rows: changes.map(base) };
  }
}

/** Adds a "Moved from" column when any resource in the group was moved (`moved` blocks). */
function withMovedFrom(table: TableContent, changes: readonly ResourceChangeSummary[]): TableContent {
  if (!changes.some((c) => c.previousAddress)) return table;
  return {
    columns: [...table.columns, "Moved from"],
    rows: table.rows.map((row, i) => {
      const movedFrom = changes[i]?.previousAddress;
      return [...row, movedFrom ? code(movedFrom) : "—"];
    }),
  };
}

function guardrailBlocks(summary: PlanSummary): Block[] {
  const findings = summary.guardrailFindings;
  if (findings.length === 0) return [];
  const text = summary.destroyAllowed
    ? `${plural(findings.length, "stateful resource")} will be destroyed or replaced. Allowed by the \`allow-destroy\` label: check that this is intended.`
    : `${plural(findings.length, "stateful resource")} would be destroyed or replaced. This check fails until the PR has the \`allow-destroy\` label.`;
  return [
    { kind: "note", tone: "caution", text },
    {
      kind: "table",
      caption: plural(findings.length, "stateful resource"),
      columns: ["Resource", "Action", "Why it matters"],
      rows: findings.map(({ change, reason }) => [code(change.address), change.action, reason]),
    },
  ];
}

function countsBlock(summary: PlanSummary): Block {
  const rows = COUNTED_ACTIONS.filter((action) => summary.counts[action] > 0).map((action): Cell[] => [
    ACTION_TITLES[action],
    String(summary.counts[action]),
  ]);
  return { kind: "table", caption: "counts", columns: ["Action", "Resources"], rows };
}

export function buildDocument(summary: PlanSummary): SummaryDocument {
  const blocks: Block[] = [];
  if (summary.errored) {
    blocks.push({
      kind: "note",
      tone: "caution",
      text: "The plan errored: Terraform could not finish planning, so what follows is incomplete. See the job log.",
    });
  }
  blocks.push(...guardrailBlocks(summary));
  const changing = summary.groups.length > 0;
  if (!changing && !summary.errored) blocks.push({ kind: "note", tone: "info", text: "No changes: the infrastructure matches the configuration." });
  if (summary.counts["no-op"] > 0 || changing) blocks.push(countsBlock(summary));
  for (const group of summary.groups) {
    blocks.push({ kind: "heading", text: `${ACTION_TITLES[group.action]} (${group.changes.length})` });
    blocks.push({ kind: "table", caption: plural(group.changes.length, "resource"), ...withMovedFrom(rowsFor(group.action, group.changes), group.changes) });
  }
  const imports = [...summary.groups.flatMap((g) => g.changes), ...summary.imports].filter((c) => c.importingId !== undefined);
  if (imports.length > 0) {
    blocks.push({ kind: "heading", text: `Imported (${imports.length})` });
    blocks.push({ kind: "table", caption: plural(imports.length, "resource"), columns: ["Resource", "Type", "Import id"], rows: imports.map((c) => [code(c.address), code(c.type), code(c.importingId!)]) });
  }
  if (summary.drift.length > 0) {
    blocks.push({ kind: "heading", text: `Drift: changed outside Terraform (${summary.drift.length})` });
    blocks.push({
      kind: "table",
      caption: plural(summary.drift.length, "resource"),
      columns: ["Resource", "Type", "Module", "Found"],
      rows: summary.drift.map((c) => [code(c.address), code(c.type), moduleCell(c), c.action === "delete" ? "deleted" : c.action === "update" ? "changed" : c.action]),
    });
  }
  if (summary.outputChanges.length > 0) {
    blocks.push({ kind: "heading", text: `Outputs (${summary.outputChanges.length})` });
    blocks.push({
      kind: "table",
      caption: plural(summary.outputChanges.length, "output"),
      columns: ["Output", "Action", "Sensitive"],
      rows: summary.outputChanges.map((o) => [code(o.name), o.action, o.sensitive ? "yes (value hidden)" : "no"]),
    });
  }
  const version = summary.terraformVersion ? `Terraform ${summary.terraformVersion}, ` : "";
  blocks.push({ kind: "note", tone: "info", text: `${version}plan format ${summary.formatVersion}. Attribute values are never shown.` });
  const title = summary.stack ? `Terraform plan: ${summary.env} · ${summary.stack}` : `Terraform plan: ${summary.env}`;
  return { env: summary.env, marker: summary.stack ? `${summary.env}/${summary.stack}` : summary.env, title, blocks };
}
