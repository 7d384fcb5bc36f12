/**
 * One comment per environment from its stacks' plans (npm run plan-comment), built from real plan
 * JSON through the real summarizer, as the workflow's plan jobs leave them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentComment } from "../../tools/plan-summary/environment";
import { readStackPlans } from "../../tools/plan-summary/environment-cli";
import type { PlannedStack } from "../../tools/stacks/affected";
import { COPIED_FIXTURES, PROJECT_FIXTURES, runTsCli } from "./helpers";

const SUMMARIZER = "tools/plan-summary/cli.ts";

/** What one stack's plan job leaves: planned.json, and (when its plan finished) summary.json and summary.md. */
function planJob(dir: string, planned: PlannedStack, plan?: string, allowDestroy = false): number | undefined {
  const folder = join(dir, planned.stack);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "planned.json"), JSON.stringify(planned));
  if (!plan) return undefined;
  const flags = ["--env", planned.env, "--stack", planned.stack, ...(allowDestroy ? ["--allow-destroy"] : [])];
  const json = runTsCli(SUMMARIZER, [plan, ...flags, "--format", "json"]);
  writeFileSync(join(folder, "summary.json"), json.stdout);
  writeFileSync(join(folder, "summary.md"), runTsCli(SUMMARIZER, [plan, ...flags]).stdout);
  return json.status ?? undefined;
}

const stack = (name: string, kind: PlannedStack["kind"], reason: PlannedStack["reason"]): PlannedStack => ({ env: "prod", stack: name, kind, reason, destroy: false, dir: `cdktf.out/stacks/${name}` });
const CORE = stack("data-platform-prod", "core", "changed");
const ATTENDEES = stack("data-platform-prod-attendees", "pipeline", "core-changed");
const SESSIONS = stack("data-platform-prod-session-checkins", "pipeline", "core-changed");

describe("an environment's comment from its stacks' plans", () => {
  const dir = mkdtempSync(join(tmpdir(), "dp-plans-"));
  // The core replaces the namespace (a stateful destroy), a pipeline creates, one pipeline's plan failed.
  const coreExit = planJob(dir, CORE, join(PROJECT_FIXTURES, "redshift-namespace-replace.json"));
  planJob(dir, ATTENDEES, join(COPIED_FIXTURES, "terraform-basic-create.json"));
  planJob(dir, SESSIONS);
  // Another environment's stack in the same folder is not this comment's.
  planJob(dir, { ...CORE, env: "stage", stack: "data-platform-stage" }, join(COPIED_FIXTURES, "terraform-basic-create.json"));
  const stacks = readStackPlans(dir, "prod");
  const comment = environmentComment("prod", stacks, 56000);

  it("fails the core's own plan check on its stateful destroy (exit 3): the guardrail works per stack", () => {
    expect(coreExit).toBe(3);
  });

  it("reads the environment's stacks only, the core first", () => {
    expect(stacks.map((s) => s.planned.stack)).toEqual([CORE.stack, ATTENDEES.stack, SESSIONS.stack]);
    expect(stacks.map((s) => s.result === undefined)).toEqual([false, false, true]);
  });

  it("is the environment's one comment: its marker, then every stateful destroy first, named by stack", () => {
    expect(comment.startsWith("<!-- plan-summary:prod -->\n")).toBe(true);
    const caution = comment.indexOf("[!CAUTION]");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(comment.indexOf("| Stack | Planned because |"));
    expect(comment).toMatch(/\| `data-platform-prod` \| `aws_redshiftserverless_namespace\.warehouse` \| replace \| Redshift Serverless namespace/);
  });

  it("lists each stack with why it was planned, its changes and its guardrail; a failed plan says so", () => {
    expect(comment).toMatch(/\| `data-platform-prod` \| its configuration changed \| [^|]*±1[^|]* \| 1 stateful destroy: fails \|/);
    expect(comment).toMatch(/\| `data-platform-prod-attendees` \| its core changed \| \+\d+ \| ok \|/);
    expect(comment).toMatch(/\| `data-platform-prod-session-checkins` \| its core changed \| — \| plan failed: see the job log \|/);
  });

  it("folds each stack's own summary, without its own marker", () => {
    expect(comment.match(/<details><summary>data-platform-prod[\w-]*:/g)).toHaveLength(3);
    expect(comment).not.toContain("<!-- plan-summary:prod/");
    expect(comment).not.toContain("data-platform-stage");
  });

  it("says when the label allows the destroy", () => {
    const allowed = mkdtempSync(join(tmpdir(), "dp-plans-"));
    expect(planJob(allowed, CORE, join(PROJECT_FIXTURES, "redshift-namespace-replace.json"), true)).toBe(0);
    expect(environmentComment("prod", readStackPlans(allowed, "prod"), 56000)).toMatch(/1 stateful destroy \(allowed\)[\s\S]*Allowed by the `allow-destroy` label/);
  });

  it("fits a cap by leaving out whole stack summaries from the end, never the overview or a destroy", () => {
    const many = [...stacks, ...Array.from({ length: 40 }, (_, i) => ({ ...stacks[1], planned: { ...ATTENDEES, stack: `data-platform-prod-generated-${i}` } }))];
    const capped = environmentComment("prod", many, 8000);
    expect(capped.length).toBeLessThanOrEqual(8000);
    expect(capped).toContain("aws_redshiftserverless_namespace.warehouse");
    expect(capped).toMatch(/\d+ of 43 stack summaries left out to fit a PR comment/);
    expect(capped).toContain("| `data-platform-prod-generated-39` |");
  });

  it("says there is nothing to plan where no stack of the environment is affected", () => {
    expect(environmentComment("dev", readStackPlans(dir, "dev"), 56000)).toContain("No stack of this environment is affected");
  });

  it("npm run plan-comment writes it, the cost estimate after the plans", () => {
    const cost = join(dir, "cost.md");
    writeFileSync(cost, "#### Cost estimate: prod\n");
    const run = runTsCli("tools/plan-summary/environment-cli.ts", ["--env", "prod", "--plans", dir, "--cost", cost]);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith("<!-- plan-summary:prod -->")).toBe(true);
    expect(run.stdout.indexOf("#### Cost estimate: prod")).toBeGreaterThan(run.stdout.indexOf("| Stack | Planned because |"));
    expect(runTsCli("tools/plan-summary/environment-cli.ts", ["--plans", dir]).stderr).toMatch(/--env is required/);
  });
});
