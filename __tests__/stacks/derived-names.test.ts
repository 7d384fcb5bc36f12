/**
 * Validation checks names and stack names derived from pipeline names before any construct exists
 * (stacks/derived-names.ts, stacks/validate.ts). These tests hold those lists to
 * what the modules really make: a module that starts deriving a new name or id from a pipeline
 * fails here until validation knows it too.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nameProblem } from "../../lib/naming";
import { resolvePipelineSettings } from "../../pipelines";
import { MAX_PIPELINE_NAME } from "../../pipelines/validate";
import { NAMED_RESOURCES } from "../../policies/rules/everything";
import { pipelineResourceNames } from "../../stacks/derived-names";
import { RESERVED_PIPELINE_NAMES, loadConfiguration } from "../../stacks/validate";
import { bootstrapStackName, pipelineStackName, platformStackName } from "../../stacks/providers";
import { buildApp } from "../../main";
import { resourcesOf, synthAll } from "../helpers/synth";

/** Named resources beyond the policy suite's list whose names also carry the pipeline's. */
const ALSO_NAMED: Record<string, string> = { aws_glue_trigger: "name", aws_athena_named_query: "name", aws_quicksight_data_set: "data_set_id" };
const NAME_ATTRIBUTES: Record<string, string> = { ...Object.fromEntries(Object.entries(NAMED_RESOURCES).map(([type, { attribute }]) => [type, attribute])), ...ALSO_NAMED };

describe("names derived from pipeline names", () => {
  const { pipelines } = loadConfiguration();

  it.each(synthAll().map((s) => [s.environment.name, s] as const))("in %s, every synthesized name carrying a pipeline's name is one validation checks", (_, { environment, platform }) => {
    let carried = 0;
    for (const pipeline of pipelines) {
      if (!resolvePipelineSettings(pipeline.definition, environment).enabled) continue;
      const spelled = pipeline.name.replace(/_/g, "-");
      const known = new Set(
        pipelineResourceNames(environment, {
          name: pipeline.name,
          views: (pipeline.definition.warehouse?.materializedViews ?? []).map((v) => v.name),
          publishes: pipeline.definition.bi?.publish === true,
        }).map((n) => n.name),
      );
      for (const [type, attribute] of Object.entries(NAME_ATTRIBUTES)) {
        for (const [address, config] of resourcesOf(platform, type)) {
          const name = config[attribute];
          if (typeof name !== "string" || !(name.includes(`-${spelled}`) || name.includes(`/${pipeline.name}-`))) continue;
          carried++;
          expect({ address, name, known: known.has(name) }).toEqual({ address, name, known: true });
        }
      }
    }
    expect(carried).toBeGreaterThan(20);
  });

  it("fits every name of the longest pipeline name with the longest environment name; a view's saved query is where a limit binds", () => {
    const [dev] = loadConfiguration().environments;
    const longest = pipelineResourceNames({ ...dev, name: "sandbox1" }, { name: "x".repeat(MAX_PIPELINE_NAME), views: [], publishes: true });
    expect(longest.map((n) => nameProblem(n.kind, n.name)).filter(Boolean)).toEqual([]);
    // The longest IAM role it makes still fits: the shared catalog roles took the long suffixes.
    expect(Math.max(...longest.filter((n) => n.kind === "iamRole").map((n) => n.name.length))).toBeLessThanOrEqual(64);
    const fitting = pipelineResourceNames({ ...dev, name: "sandbox1" }, { name: "attendees", views: ["v".repeat(106)], publishes: false });
    const tooLong = pipelineResourceNames({ ...dev, name: "sandbox1" }, { name: "attendees", views: ["v".repeat(107)], publishes: false });
    expect(Math.max(...fitting.filter((n) => n.kind === "generic").map((n) => n.name.length))).toBe(128);
    expect(Math.max(...tooLong.filter((n) => n.kind === "generic").map((n) => n.name.length))).toBe(129);
  });
});

describe("stack names derived from pipeline names", () => {
  const { environments, pipelines } = loadConfiguration();
  const app = buildApp({ outdir: mkdtempSync(join(tmpdir(), "dp-stack-names-")), environments, pipelines });
  const names = app.node.children.map((c) => c.node.id);

  it("gives each pipeline in each environment a stack of its own, apart from the bootstrap and core stacks", () => {
    for (const environment of environments) {
      const mine = pipelines.map((p) => pipelineStackName(environment, p.name));
      expect(new Set([...mine, bootstrapStackName(environment), platformStackName(environment)]).size).toBe(mine.length + 2);
      for (const stack of mine) expect(names).toContain(stack);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it("reserves exactly the names whose stack would be another stack of the environment", () => {
    const other = new Set(environments.flatMap((e) => [bootstrapStackName(e), platformStackName(e)]));
    const clashing = Object.keys(RESERVED_PIPELINE_NAMES).filter((name) => environments.some((e) => other.has(pipelineStackName(e, name))));
    expect(clashing.sort()).toEqual(Object.keys(RESERVED_PIPELINE_NAMES).sort());
  });
});
