/**
 * Which stacks a pull request plans (tools/stacks/affected.ts), on real syntheses of this
 * repository changed the ways teams and the platform change it.
 */
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS, type Environment } from "../../environments";
import { PIPELINE_DEFINITIONS } from "../../pipelines";
import { attendees } from "../../pipelines/attendees";
import { generatedPipelines } from "../../tools/scaffold/generated-pipelines";
import { affectedStacks } from "../../tools/stacks/affected";
import { runNode } from "../helpers/node-process";
import { synthesizeConfiguration } from "../helpers/synth";

const NAMES = ENVIRONMENT_CONFIGS.map((e) => e.name);
const base = synthesizeConfiguration(PIPELINE_DEFINITIONS);
const planned = (head: string, from: string | undefined = base) => affectedStacks(head, from, NAMES).plans.map((p) => `${p.stack} ${p.reason}${p.destroy ? " destroy" : ""}`);
const withEnvironment = (change: (envs: Environment[]) => void) => {
  const envs = structuredClone([...ENVIRONMENT_CONFIGS]) as Environment[];
  change(envs);
  return synthesizeConfiguration(PIPELINE_DEFINITIONS, envs);
};

describe("the stacks a change plans", () => {
  it("nothing for an unchanged synthesis", () => {
    expect(planned(synthesizeConfiguration(PIPELINE_DEFINITIONS))).toEqual([]);
  });

  it("a new pipeline: its own stack in each environment, nothing else", () => {
    const [added] = generatedPipelines(1);
    expect(planned(synthesizeConfiguration([...PIPELINE_DEFINITIONS, added]))).toEqual(NAMES.map((env) => `data-platform-${env}-generated-001 added`));
  });

  it("a pipeline changed for prod only: that pipeline's prod stack", () => {
    const changed = { ...attendees, environments: { ...attendees.environments, prod: { ...attendees.environments?.prod, maxWorkers: 5 } } };
    expect(planned(synthesizeConfiguration(PIPELINE_DEFINITIONS.map((d) => (d.name === "attendees" ? changed : d))))).toEqual(["data-platform-prod-attendees changed"]);
  });

  it("a changed core: the core, then every pipeline stack of its environment; no other environment", () => {
    const head = withEnvironment((envs) => envs.find((e) => e.name === "stage")!.alarms.emails.push("oncall-2@example.com"));
    expect(planned(head)).toEqual(["data-platform-stage changed", "data-platform-stage-attendees core-changed", "data-platform-stage-session-checkins core-changed"]);
  });

  it("a pipeline removed (or disabled in an environment): its stacks' destruction, planned from the base", () => {
    const head = synthesizeConfiguration(PIPELINE_DEFINITIONS.filter((d) => d.name !== "session_checkins"));
    const plans = affectedStacks(head, base, NAMES).plans;
    expect(plans.map((p) => `${p.stack} ${p.reason}${p.destroy ? " destroy" : ""}`)).toEqual(NAMES.map((env) => `data-platform-${env}-session-checkins removed destroy`));
    for (const p of plans) expect(p.dir).toContain(join(base.split("/").pop()!, "stacks", p.stack));
  });

  it("every stack, core first, where there is no base to compare with", () => {
    const plans = affectedStacks(base, undefined, NAMES).plans;
    expect(plans.every((p) => p.reason === "no-base")).toBe(true);
    for (const env of NAMES) {
      const mine = plans.filter((p) => p.env === env);
      expect(mine[0]).toMatchObject({ stack: `data-platform-${env}`, kind: "core" });
      expect(mine.slice(1).every((p) => p.kind === "pipeline")).toBe(true);
    }
  });

  it("reports a changed bootstrap stack without planning it: an administrator applies it", () => {
    const head = withEnvironment((envs) => (envs.find((e) => e.name === "dev")!.ci.repository = "acme-data/another-repository"));
    const result = affectedStacks(head, base, NAMES);
    expect(result.bootstrapChanged).toEqual(["data-platform-dev-bootstrap"]);
    expect(result.plans.map((p) => p.stack)).not.toContain("data-platform-dev-bootstrap");
  });
});

describe("npm run affected-stacks", () => {
  jest.setTimeout(60_000);

  it("prints the plans as JSON for a workflow matrix, filtered by environment and kind", async () => {
    const head = withEnvironment((envs) => envs.find((e) => e.name === "prod")!.alarms.emails.push("oncall-2@example.com"));
    const run = await runNode(["-r", "./tools/register.js", "tools/stacks/affected-cli.ts", "--head", head, "--base", base, "--env", "prod", "--kind", "pipeline"]);
    expect(run.code).toBe(0);
    const plans = JSON.parse(run.stdout) as { stack: string; reason: string; destroy: boolean; dir: string }[];
    expect(plans.map((p) => [p.stack, p.reason, p.destroy])).toEqual([
      ["data-platform-prod-attendees", "core-changed", false],
      ["data-platform-prod-session-checkins", "core-changed", false],
    ]);
  });

  it("exits 1 naming the missing manifest, 2 on a bad option", async () => {
    const missing = await runNode(["-r", "./tools/register.js", "tools/stacks/affected-cli.ts", "--head", join(base, "nowhere")]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/manifest\.json does not exist: synthesize first/)]);
    const bad = await runNode(["-r", "./tools/register.js", "tools/stacks/affected-cli.ts", "--kind", "bootstrap"]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--kind must be core or pipeline/)]);
  });
});
