/** Renders a SummaryDocument as a GitHub PR comment (Markdown) or for a terminal (text). */
import type { Block, Cell, SummaryDocument } from "./document";

/** Markdown (a PR comment), plain text (a terminal), or JSON for an environment's comment (`StackPlanResult`). */
export type OutputFormat = "md" | "text" | "json";

/** Tables longer than this fold into `<details>` so the comment stays readable. */
export const COLLAPSE_AFTER_ROWS = 10;
/** GitHub rejects comments over 65536 characters; keep a margin for the truncation note. */
export const DEFAULT_MAX_CHARS = 60000;

/** The hidden marker CI searches for to update the one comment of an environment in place. */
export const commentMarker = (env: string): string => `<!-- plan-summary:${env} -->`;

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Escapes a plain table cell: pipes end cells; HTML would be interpreted by GitHub. */
export const markdownText = (text: string): string => escapeHtml(text).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** A code span that survives any backticks and pipes inside (for_each keys can hold both). */
export function markdownCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}${fence}`;
}

const markdownCell = (cell: Cell): string => (typeof cell === "string" ? markdownText(cell) : markdownCode(cell.code));

const NOTE_ALERTS = { info: "NOTE", warning: "WARNING", caution: "CAUTION" } as const;

/** Inline `code` in our own note texts is allowed; the rest of the text is escaped. */
const markdownNote = (text: string): string =>
  text.split(/(`[^`]+`)/).map((part) => (part.startsWith("`") ? part : escapeHtml(part))).join("");

function markdownTable(block: Extract<Block, { kind: "table" }>): string[] {
  const lines = [
    `| ${block.columns.map(markdownText).join(" | ")} |`,
    `| ${block.columns.map(() => "---").join(" | ")} |`,
    ...block.rows.map((row) => `| ${row.map(markdownCell).join(" | ")} |`),
  ];
  if (block.rows.length <= COLLAPSE_AFTER_ROWS) return lines;
  // The blank lines around the table are required for GitHub to render Markdown inside <details>.
  return [`<details><summary>${escapeHtml(block.caption)}</summary>`, "", ...lines, "", "</details>"];
}

function markdownBlock(block: Block): string[] {
  switch (block.kind) {
    case "heading":
      return [`#### ${markdownNote(block.text)}`];
    case "note":
      return block.tone === "info" ? [markdownNote(block.text)] : [`> [!${NOTE_ALERTS[block.tone]}]`, `> ${markdownNote(block.text)}`];
    case "table":
      return markdownTable(block);
  }
}

export function renderMarkdown(document: SummaryDocument): string {
  const body = document.blocks.map((block) => markdownBlock(block).join("\n"));
  return [commentMarker(document.marker), `### ${markdownNote(document.title)}`, ...body].join("\n\n") + "\n";
}

function textTable(block: Extract<Block, { kind: "table" }>): string[] {
  const rows = [block.columns, ...block.rows.map((row) => row.map((cell) => (typeof cell === "string" ? cell : cell.code)))];
  const widths = block.columns.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const format = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [format(rows[0] ?? []), widths.map((width) => "-".repeat(width)).join("  "), ...rows.slice(1).map(format)];
}

function textBlock(block: Block): string[] {
  switch (block.kind) {
    case "heading":
      return [block.text, "=".repeat(block.text.length)];
    case "note":
      return [block.tone === "info" ? block.text : `${block.tone.toUpperCase()}: ${block.text}`];
    case "table":
      return textTable(block);
  }
}

export function renderText(document: SummaryDocument): string {
  return [document.title, ...document.blocks.map((block) => textBlock(block).join("\n"))].join("\n\n") + "\n";
}

export function render(document: SummaryDocument, format: Exclude<OutputFormat, "json">): string {
  return format === "md" ? renderMarkdown(document) : renderText(document);
}

/**
 * Cuts `text` at a line boundary so that it, plus a note of what was cut, fits in `maxChars`.
 * The guardrail warning comes first in every rendering, so it survives any cut. An unclosed
 * `<details>` is closed so the rest of the comment does not collapse into it.
 */
export function capLength(text: string, maxChars: number, format: Exclude<OutputFormat, "json">): string {
  if (text.length <= maxChars) return text;
  const note = (cut: number): string =>
    format === "md"
      ? `\n> [!WARNING]\n> Truncated: ${cut} of ${text.length} characters cut to fit a PR comment. The full plan is in the workflow's plan artifact.\n`
      : `\n[truncated: ${cut} of ${text.length} characters cut; see the full plan]\n`;
  const lines = text.split("\n");
  let headLength = text.length;
  let openDetails = format === "md" ? (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length : 0;
  // Drop whole lines from the end until the head, the closing tags and the note fit.
  for (let kept = lines.length; kept > 0; kept--) {
    const closing = "\n\n</details>".repeat(Math.max(0, openDetails));
    const candidateLength = headLength + closing.length + 1 + note(text.length - headLength).length;
    if (candidateLength <= maxChars) return `${lines.slice(0, kept).join("\n")}${closing}\n${note(text.length - headLength)}`;
    const dropped = lines[kept - 1] ?? "";
    headLength -= dropped.length + (kept > 1 ? 1 : 0);
    if (dropped.startsWith("<details>")) openDetails--;
    if (dropped === "</details>") openDetails++;
  }
  return note(text.length).slice(0, maxChars);
}
