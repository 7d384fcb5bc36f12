/**
 * One PR comment per environment from the plans of its affected stacks: an overview table (each
 * stack, why it was planned, what changes, its guardrail), every stateful destroy first, then each
 * stack's own summary folded into `<details>`. Pure: the CLI (environment-cli.ts) reads the files.
 */
import type { PlannedStack } from "../stacks/affected";
import { REASON_TEXT } from "../stacks/affected";
import { commentMarker, markdownCode, markdownText } from "./render";
import { EXIT, type StackPlanResult } from "./summarize";

/** One affected stack and what its plan job left: its summary (JSON and Markdown), or nothing when the plan failed. */
export interface StackPlanFiles {
  readonly planned: PlannedStack;
  readonly result?: StackPlanResult;
  readonly markdown?: string;
}

const SHORT: Readonly<Record<string, string>> = { create: "+", update: "~", replace: "±", delete: "-", forget: "forget ", read: "read " };

/** `+2 ~1 -1`, or "no changes". */
function changesOf(result: StackPlanResult): string {
  const parts = Object.entries(SHORT).filter(([action]) => (result.counts as Record<string, number>)[action] > 0).map(([action, sign]) => `${sign}${(result.counts as Record<string, number>)[action]}`);
  return parts.length ? parts.join(" ") : "no changes";
}

function guardrailOf(stack: StackPlanFiles): string {
  if (!stack.result) return "plan failed: see the job log";
  if (stack.result.errored) return "plan errored";
  if (stack.result.guardrail.length === 0) return "ok";
  return stack.result.destroyAllowed ? `${stack.result.guardrail.length} stateful destroy (allowed)` : `${stack.result.guardrail.length} stateful destroy: fails`;
}

/** The stack's own summary without its marker and heading (the overview names the stack). */
function sectionBody(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !line.startsWith("<!-- plan-summary:") && !line.startsWith("### Terraform plan:"))
    .join("\n")
    .trim();
}

/**
 * The environment's comment, at most `maxChars` long: whole stack sections are folded away (named,
 * with a pointer to their artifact) from the last one up until it fits; the overview and every
 * stateful destroy always stay.
 */
export function environmentComment(env: string, stacks: readonly StackPlanFiles[], maxChars: number): string {
  const failing = stacks.filter((s) => !s.result || s.result.exitCode !== EXIT.ok);
  const destroys = stacks.flatMap((s) => (s.result?.guardrail ?? []).map((g) => ({ stack: s.planned.stack, ...g, allowed: s.result!.destroyAllowed })));
  const head: string[] = [commentMarker(env), `### Terraform plan: ${markdownText(env)} (${stacks.length} ${stacks.length === 1 ? "stack" : "stacks"})`];
  if (stacks.length === 0) head.push("No stack of this environment is affected: nothing to plan.");
  if (destroys.length > 0) {
    const allowed = destroys.every((d) => d.allowed);
    head.push(
      [
        "> [!CAUTION]",
        `> ${destroys.length} stateful ${destroys.length === 1 ? "resource" : "resources"} would be destroyed or replaced. ${allowed ? "Allowed by the `allow-destroy` label: check that this is intended." : "The plan check of each stack listed fails until the PR has the `allow-destroy` label."}`,
      ].join("\n"),
      ["| Stack | Resource | Action | Why it matters |", "| --- | --- | --- | --- |", ...destroys.map((d) => `| ${markdownCode(d.stack)} | ${markdownCode(d.address)} | ${d.action} | ${markdownText(d.reason)} |`)].join("\n"),
    );
  } else if (failing.length > 0) {
    head.push(`> [!CAUTION]\n> The plan of ${failing.map((s) => markdownCode(s.planned.stack)).join(", ")} failed or errored; see each job's log.`);
  }
  if (stacks.length > 0) {
    head.push(
      [
        "| Stack | Planned because | Changes | Guardrail |",
        "| --- | --- | --- | --- |",
        ...stacks.map((s) => `| ${markdownCode(s.planned.stack)} | ${markdownText(REASON_TEXT[s.planned.reason])} | ${s.result ? changesOf(s.result) : "—"} | ${markdownText(guardrailOf(s))} |`),
      ].join("\n"),
    );
  }
  const sections = stacks.map((s) => {
    const summary = s.result ? changesOf(s.result) : "plan failed";
    const body = s.markdown ? sectionBody(s.markdown) : "No summary: the plan did not finish. See the job log.";
    return `<details><summary>${markdownText(s.planned.stack)}: ${markdownText(summary)}</summary>\n\n${body}\n\n</details>`;
  });
  const folded = (from: number) =>
    from < sections.length
      ? [`> [!NOTE]\n> ${sections.length - from} of ${sections.length} stack summaries left out to fit a PR comment: ${stacks.slice(from).map((s) => markdownCode(s.planned.stack)).join(", ")}. Each is in its plan job's artifact.`]
      : [];
  for (let kept = sections.length; kept >= 0; kept--) {
    const text = [...head, ...sections.slice(0, kept), ...folded(kept)].join("\n\n") + "\n";
    if (text.length <= maxChars) return text;
  }
  return ([...head, ...folded(0)].join("\n\n") + "\n").slice(0, maxChars);
}
