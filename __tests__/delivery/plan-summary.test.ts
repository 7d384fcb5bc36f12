import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { comparePlans } from "../../tools/plan-summary/compare";
import { statefulRuleFor } from "../../tools/plan-summary/guardrail";
import { summarizePlanText } from "../../tools/plan-summary/index";
import { changedAttributeNames, parsePlan } from "../../tools/plan-summary/parse";
import { markdownCode } from "../../tools/plan-summary/render";
import { summarizePlan } from "../../tools/plan-summary/summarize";
import { ALL_PLAN_FIXTURES, COPIED_FIXTURES, PROJECT_FIXTURES, readJson, runPlanSummary, runTsCli } from "./helpers";

/*
 * Expectations are computed here from the raw fixture JSON, with the list of stateful
 * types typed out again on purpose: a test that imported the tool's own list could not catch a
 * type missing from it.
 */
const STATEFUL_TYPES = [
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_kinesis_stream",
  "aws_glue_catalog_database",
  "aws_glue_catalog_table",
  "aws_redshiftserverless_namespace",
  "aws_secretsmanager_secret",
];

type RawChange = { address: string; type: string; change: { actions: string[] } };

function expectedAction(actions: readonly string[]): string {
  if (actions.length === 2 && actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.length !== 1) throw new Error(`test does not know actions ${actions.join(",")}`);
  return actions[0]!;
}

function expectedCounts(plan: { resource_changes?: RawChange[] }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rc of plan.resource_changes ?? []) {
    const action = expectedAction(rc.change.actions);
    counts[action] = (counts[action] ?? 0) + 1;
  }
  return counts;
}

function expectedExitCode(plan: { errored?: boolean; resource_changes?: RawChange[] }, allowDestroy = false): number {
  if (plan.errored) return 1;
  const destroysState = (plan.resource_changes ?? []).some(
    (rc) => rc.change.actions.includes("delete") && STATEFUL_TYPES.includes(rc.type),
  );
  return destroysState && !allowDestroy ? 3 : 0;
}

/** Every string value that a sensitivity mask marks sensitive, anywhere in a value. */
function sensitiveStrings(value: unknown, mask: unknown): string[] {
  if (mask === true) return JSON.stringify(value ?? null).match(/"([^"\\]{3,})"/g)?.map((s) => s.slice(1, -1)) ?? [];
  if (typeof mask !== "object" || mask === null || typeof value !== "object" || value === null) return [];
  return Object.entries(mask).flatMap(([key, sub]) => sensitiveStrings((value as Record<string, unknown>)[key], sub));
}

function allSensitiveValues(plan: any): string[] {
  const fromResources = (plan.resource_changes ?? []).flatMap((rc: any) => [
    ...sensitiveStrings(rc.change.before, rc.change.before_sensitive),
    ...sensitiveStrings(rc.change.after, rc.change.after_sensitive),
  ]);
  const fromOutputs = Object.values(plan.output_changes ?? {}).flatMap((oc: any) => [
    ...sensitiveStrings(oc.before, oc.before_sensitive),
    ...sensitiveStrings(oc.after, oc.after_sensitive),
  ]);
  return [...fromResources, ...fromOutputs];
}

const SUMMARY_DEFAULTS = { env: "dev", format: "md", allowDestroy: false, maxChars: 60000 } as const;

describe.each(ALL_PLAN_FIXTURES.map((path) => [basename(path), path]))("plan-summary on %s", (_name, path) => {
  const raw = readJson(path);
  const md = runPlanSummary([path, "--env", "stage"]);
  const text = runPlanSummary([path, "--env", "stage", "--format", "text"]);

  test("exit code follows the errored flag and the guardrail", () => {
    expect(md.status).toBe(expectedExitCode(raw));
    expect(text.status).toBe(expectedExitCode(raw));
    expect(runPlanSummary([path, "--allow-destroy"]).status).toBe(expectedExitCode(raw, true));
  });

  test("counts per action match the fixture's resource_changes", () => {
    const summary = summarizePlan(parsePlan(raw), { env: "dev", allowDestroy: false });
    const nonZero = Object.fromEntries(Object.entries(summary.counts).filter(([, n]) => n > 0));
    expect(nonZero).toEqual(expectedCounts(raw));
  });

  test("groups hold exactly the resources of their action, and no-op is never listed", () => {
    const summary = summarizePlan(parsePlan(raw), { env: "dev", allowDestroy: false });
    for (const group of summary.groups) {
      const expected = (raw.resource_changes as RawChange[])
        .filter((rc) => expectedAction(rc.change.actions) === group.action)
        .map((rc) => rc.address);
      expect(group.changes.map((c) => c.address)).toEqual(expected);
    }
    expect(summary.groups.map((g) => g.action)).not.toContain("no-op");
  });

  test("every changing resource is named in both formats", () => {
    const changing = ((raw.resource_changes ?? []) as RawChange[]).filter((rc) => expectedAction(rc.change.actions) !== "no-op");
    for (const rc of changing) {
      expect(md.stdout).toContain(rc.address);
      expect(text.stdout).toContain(rc.address);
    }
  });

  test("no sensitive value is printed", () => {
    for (const secret of allSensitiveValues(raw)) {
      expect(md.stdout).not.toContain(secret);
      expect(text.stdout).not.toContain(secret);
    }
  });

  test("Markdown carries the per-env marker first; text does not", () => {
    expect(md.stdout.split("\n")[0]).toBe("<!-- plan-summary:stage -->");
    expect(md.stdout).toMatch(/^### .*stage/m);
    expect(text.stdout).not.toContain("<!--");
  });
});

describe("sensitive values", () => {
  const sensitiveFixture = join(COPIED_FIXTURES, "terraform-sensitive-values.json");
  const redshiftFixture = join(PROJECT_FIXTURES, "redshift-namespace-replace.json");

  test("the sensitive-values fixture really holds the value checked for, and it is absent", () => {
    const raw = readJson(sensitiveFixture);
    expect(raw.resource_changes[0].change.after.ami).toBe("boop");
    expect(raw.output_changes.test.after).toBe("boop");
    const out = runPlanSummary([sensitiveFixture]).stdout + runPlanSummary([sensitiveFixture, "--format", "text"]).stdout;
    expect(out).not.toContain("boop");
    expect(out).toMatch(/test.*yes \(value hidden\)/);
  });

  test("passwords, and the names of sensitive attributes that changed, are absent", () => {
    const out = runPlanSummary([redshiftFixture, "--allow-destroy"]).stdout;
    for (const secret of ["Prior-Admin-Passw0rd-9f3e", "Next-Admin-Passw0rd-71c2", "wh_root_7d1", "admin_user_password", "secret_string"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("1 sensitive attribute (hidden)");
  });

  test("changedAttributeNames hides names under a nested sensitivity mask", () => {
    const result = changedAttributeNames({
      before: { tags: { a: "1" }, size: 1, same: "x" },
      after: { tags: { a: "2" }, size: 2, same: "x" },
      after_unknown: { arn: true },
      before_sensitive: { tags: { a: true } },
      after_sensitive: {},
    });
    expect(result).toEqual({ names: ["arn", "size"], sensitiveCount: 1 });
  });
});

describe("guardrail", () => {
  const redshiftFixture = join(PROJECT_FIXTURES, "redshift-namespace-replace.json");

  test("a Redshift namespace replace exits 3 and is named first, under the warning", () => {
    const run = runPlanSummary([redshiftFixture, "--env", "prod"]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("redshift-namespace-replace.json");
    expect(run.stderr).toMatch(/allow-destroy/);
    const warningAt = run.stdout.indexOf("[!CAUTION]");
    const namespaceAt = run.stdout.indexOf("aws_redshiftserverless_namespace.warehouse");
    const firstOtherResource = Math.min(
      run.stdout.indexOf("aws_cloudwatch_log_group.ingest"),
      run.stdout.indexOf("aws_secretsmanager_secret_version.warehouse_admin"),
    );
    expect(warningAt).toBeGreaterThan(-1);
    expect(namespaceAt).toBeGreaterThan(warningAt);
    expect(namespaceAt).toBeLessThan(firstOtherResource);
    expect(run.stdout.indexOf("| Action | Resources |")).toBeGreaterThan(namespaceAt);
  });

  test("--allow-destroy exits 0 but still warns first", () => {
    const run = runPlanSummary([redshiftFixture, "--allow-destroy", "--format", "text"]);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n").slice(0, 3).join("\n")).toMatch(/CAUTION: .*Allowed by the `allow-destroy` label/);
  });

  test("the state bucket gets its own reason; other buckets the generic one", () => {
    expect(statefulRuleFor("aws_s3_bucket", "module.bootstrap.aws_s3_bucket.terraform_state")?.reason).toMatch(/state bucket/);
    expect(statefulRuleFor("aws_s3_bucket", "aws_s3_bucket.raw_events")?.reason).not.toMatch(/state bucket/);
    expect(statefulRuleFor("aws_sqs_queue", "aws_sqs_queue.x")).toBeUndefined();
  });

  test("delete actions that are not destroys of stateful types pass (count shrink, no-op with a delete reason)", () => {
    expect(runPlanSummary([join(COPIED_FIXTURES, "terraform-1.11-builtin-mixed.json")]).status).toBe(0);
    const summary = summarizePlan(parsePlan(readJson(join(COPIED_FIXTURES, "tf-summarize-github-example.json"))), {
      env: "dev",
      allowDestroy: false,
    });
    const demo = 'module.github["terraform-plan-summary"].github_branch.demo';
    expect(summary.groups.flatMap((g) => g.changes).map((c) => c.address)).not.toContain(demo);
    expect(summary.drift.map((c) => c.address)).toContain(demo);
  });
});

describe("plan shapes", () => {
  test("format 0.2 without module_address: module path derived, create-before-destroy recognised", () => {
    const plan = parsePlan(readJson(join(PROJECT_FIXTURES, "format-0.2-create-before-destroy.json")));
    expect(plan.formatVersion).toBe("0.2");
    const byAddress = new Map(plan.resourceChanges.map((c) => [c.address, c]));
    expect(byAddress.get("module.bootstrap.aws_s3_bucket.terraform_state")?.modulePath).toBe("module.bootstrap");
    expect(byAddress.get("data.aws_iam_policy_document.router")).toMatchObject({ modulePath: "", action: "read" });
    expect(byAddress.get("aws_lambda_function.router")).toMatchObject({ action: "replace", replaceOrder: "create-first" });
  });

  test("for_each keys in module addresses are kept whole", () => {
    const plan = parsePlan(readJson(join(COPIED_FIXTURES, "tf-summarize-github-example.json")));
    const modules = new Set(plan.resourceChanges.map((c) => c.modulePath));
    expect(modules).toEqual(new Set(["", 'module.github["demo-repository"]', 'module.github["terraform-plan-summary"]']));
  });

  test("a replace shows its action_reason and replace_paths", () => {
    const out = runPlanSummary([join(COPIED_FIXTURES, "terraform-requires-replace.json")]).stdout;
    expect(out).toMatch(/\| `test_instance\.test` \|.*replace_because_cannot_update.*\| `ami` \|/);
  });

  test("drift and output changes get their own sections", () => {
    const out = runPlanSummary([join(COPIED_FIXTURES, "terraform-drift.json")]).stdout;
    expect(out).toMatch(/#### Drift[^\n]*\n\n[^\n]*\n[^\n]*\n\| `test_instance\.should_refresh`/);
    expect(runPlanSummary([join(COPIED_FIXTURES, "terraform-basic-create.json")]).stdout).toMatch(/#### Outputs \(1\)/);
  });

  test("an errored plan is reported as such and exits 1", () => {
    const run = runPlanSummary([join(COPIED_FIXTURES, "terraform-plan-error.json")]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/plan errored/);
    expect(run.stderr).toContain("terraform-plan-error.json");
  });
});

describe("unusable input exits 2 with a message naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-summary-"));
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  test.each([
    ["missing file", join(dir, "does-not-exist.json"), /cannot read the file: ENOENT/],
    ["invalid JSON", write("broken.json", '{"format_version": "1.2",'), /invalid JSON/],
    ["not a plan (a state file)", write("state.json", '{"format_version": "1.0", "values": {}}'), /not a Terraform plan/],
    ["not a plan (a list)", write("list.json", "[1, 2]"), /not a Terraform plan/],
    ["unknown actions", write("odd.json", JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "a.b", type: "a", name: "b", change: { actions: ["explode"] } }] })), /unknown actions \[explode\]/],
  ])("%s", (_case, path, message) => {
    const run = runPlanSummary([path]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  test("bad usage", () => {
    expect(runPlanSummary([]).status).toBe(2);
    expect(runPlanSummary([]).stderr).toMatch(/missing <plan.json>/);
    expect(runPlanSummary(["x.json", "--env", "qa"]).stderr).toMatch(/--env "qa" is not one of the defined environments: dev, stage, prod/);
    expect(runPlanSummary(["x.json", "--format", "html"]).stderr).toMatch(/--format must be md, text or json/);
    expect(runPlanSummary(["x.json", "--max-chars", "12"]).stderr).toMatch(/--max-chars/);
  });
});

describe("size cap", () => {
  /** A plan of `count` creates with a KMS key deletion LAST, so only a warning-first layout keeps it. */
  function hugePlan(count: number): string {
    const creates = Array.from({ length: count }, (_, i) => ({
      address: `module.pipeline["p${i}"].aws_sqs_queue.dead_letters_with_a_long_name`,
      module_address: `module.pipeline["p${i}"]`,
      mode: "managed",
      type: "aws_sqs_queue",
      name: "dead_letters_with_a_long_name",
      change: { actions: ["create"], before: null, after: {}, after_unknown: {} },
    }));
    const keyDeletion = { address: "aws_kms_key.lake", mode: "managed", type: "aws_kms_key", name: "lake", change: { actions: ["delete"], before: {}, after: null } };
    return JSON.stringify({ format_version: "1.2", resource_changes: [...creates, keyDeletion] });
  }

  test("the default cap keeps a comment under GitHub's limit, the warning, and balanced <details>", () => {
    const { output, exitCode } = summarizePlanText(hugePlan(3000), SUMMARY_DEFAULTS);
    expect(exitCode).toBe(3);
    expect(output.length).toBeLessThanOrEqual(60000);
    expect(output.split("\n")[0]).toBe("<!-- plan-summary:dev -->");
    expect(output).toMatch(/Truncated: \d+ of \d+ characters cut/);
    expect(output.indexOf("aws_kms_key.lake")).toBeLessThan(output.indexOf("| Action | Resources |"));
    expect(output.match(/<details>/g)?.length).toBe(output.match(/<\/details>/g)?.length);
  });

  test("--max-chars through the CLI; a small plan is not cut", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-summary-cap-"));
    const path = join(dir, "huge.json");
    writeFileSync(path, hugePlan(200));
    const run = runPlanSummary([path, "--max-chars", "5000", "--allow-destroy"]);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeLessThanOrEqual(5000);
    expect(run.stdout).toContain("Truncated:");
    expect(runPlanSummary([join(COPIED_FIXTURES, "terraform-basic-create.json")]).stdout).not.toContain("Truncated");
  });

  test("long lists fold into <details>, short ones do not", () => {
    const { output } = summarizePlanText(hugePlan(11), SUMMARY_DEFAULTS);
    expect(output).toMatch(/<details><summary>11 resources<\/summary>\n\n\| Resource/);
    expect(summarizePlanText(hugePlan(3), SUMMARY_DEFAULTS).output).not.toContain("<details>");
  });
});

describe("Markdown escaping", () => {
  test("code spans survive pipes and backticks from for_each keys", () => {
    expect(markdownCode('module.x["a|b"].y')).toBe('`module.x["a\\|b"].y`');
    expect(markdownCode("a`b")).toBe("``a`b``");
    expect(markdownCode("`a")).toBe("`` `a ``");
  });
});

describe("comparing the reviewed plan with the plan about to be applied", () => {
  const reviewedPath = join(COPIED_FIXTURES, "terraform-1.11-builtin-mixed.json");

  test("the same plan is identical; an extra action is not", () => {
    const reviewed = readJson(reviewedPath);
    expect(comparePlans(parsePlan(reviewed), parsePlan(reviewed)).identical).toBe(true);
    const drifted = structuredClone(reviewed);
    const updated = drifted.resource_changes.find((rc: RawChange) => rc.address === "terraform_data.updated");
    updated.change.actions = ["delete", "create"];
    const comparison = comparePlans(parsePlan(reviewed), parsePlan(drifted));
    expect(comparison.identical).toBe(false);
    expect(comparison.onlyCurrent).toEqual(["replace (delete-first) terraform_data.updated"]);
    expect(comparison.onlyReviewed).toEqual(["update terraform_data.updated"]);
  });

  test("the compare CLI exits 0 for a match and 1 with a reason otherwise", () => {
    expect(runTsCli("tools/plan-summary/compare-cli.ts", [reviewedPath, reviewedPath]).status).toBe(0);
    const other = runTsCli("tools/plan-summary/compare-cli.ts", [reviewedPath, join(COPIED_FIXTURES, "terraform-drift.json")]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/not reviewed: update test_instance.no_refresh/);
    const errored = runTsCli("tools/plan-summary/compare-cli.ts", [reviewedPath, join(COPIED_FIXTURES, "terraform-plan-error.json")]);
    expect(errored.status).toBe(1);
    expect(errored.stderr).toMatch(/terraform-plan-error.json: the plan errored/);
  });
});
