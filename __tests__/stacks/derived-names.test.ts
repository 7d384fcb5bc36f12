/**
 * Validation checks names and construct ids the modules derive from pipeline names before any
 * construct exists (stacks/derived-names.ts, stacks/validate.ts). These tests hold those lists to
 * what the modules really make: a module that starts deriving a new name or id from a pipeline
 * fails here until validation knows it too.
 */
import { Testing } from "cdktf";
import type { IConstruct } from "constructs";
import { resolvePipelineSettings } from "../../pipelines";
import { NAMED_RESOURCES } from "../../policies/rules/everything";
import { pipelineResourceNames } from "../../stacks/derived-names";
import { PlatformStack } from "../../stacks/platform-stack";
import { CONSTRUCT_IDS_BESIDE_PIPELINES, loadConfiguration } from "../../stacks/validate";
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

  it("refuses a name the list makes too long, before synthesis, at the length AWS refuses", () => {
    const [dev] = loadConfiguration().environments;
    const fitting = pipelineResourceNames({ ...dev, name: "sandbox1" }, { name: "x".repeat(37), views: [], publishes: false });
    const tooLong = pipelineResourceNames({ ...dev, name: "sandbox1" }, { name: "x".repeat(38), views: [], publishes: false });
    expect(Math.max(...fitting.filter((n) => n.kind === "iamRole").map((n) => n.name.length))).toBe(64);
    expect(Math.max(...tooLong.filter((n) => n.kind === "iamRole").map((n) => n.name.length))).toBe(65);
  });
});

describe("construct ids derived from pipeline names", () => {
  const { environments, pipelines } = loadConfiguration();
  const stack = new PlatformStack(Testing.app(), "ids", { environment: environments[environments.length - 1], pipelines });
  const names = pipelines.map((p) => p.name);
  const childIds = (scope: IConstruct) => scope.node.children.map((c) => c.node.id);

  it("lists every scope where a pipeline's name is a construct id, with every other id there", () => {
    const scopes = stack.node.children.filter((scope) => names.some((name) => childIds(scope).includes(name)));
    expect(scopes.map((s) => s.node.id).sort()).toEqual(Object.keys(CONSTRUCT_IDS_BESIDE_PIPELINES).sort());
    for (const scope of scopes) {
      expect(childIds(scope).filter((id) => !names.includes(id)).sort()).toEqual([...CONSTRUCT_IDS_BESIDE_PIPELINES[scope.node.id]].sort());
    }
  });
});
