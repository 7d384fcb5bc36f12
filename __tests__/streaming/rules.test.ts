import { runPolicies } from "../../policies";
import { streamingRules } from "../../policies/rules/streaming";
import { stackOf } from "../policies/bad-cases/builders";
import { compliantGlue } from "../policies/bad-cases/streaming";
import { stacksUnderTest } from "../helpers/synth";

describe("Streaming and ETL rules", () => {
  it("pass the compliant starting point of the bad cases, in prod too", () => {
    expect(runPolicies([stackOf(compliantGlue(), { production: true })], streamingRules).violations).toEqual([]);
  });

  it("accept Glue 5 jobs without the continuous-logging switch, which Glue 5 no longer has", () => {
    const glue = compliantGlue();
    const job = glue.aws_glue_job.j as { glue_version: string; default_arguments: Record<string, string> };
    job.glue_version = "5.0";
    delete job.default_arguments["--enable-continuous-cloudwatch-log"];
    expect(runPolicies([stackOf(glue)], streamingRules).violations).toEqual([]);
  });

  it("say why GLUE-CAT does not apply to a stack without Glue resources", () => {
    const report = runPolicies([stackOf({})], streamingRules);
    expect(report.notApplicable.map((n) => n.ruleId)).toContain("GLUE-CAT");
  });

  it("find nothing but the catalog encryption settings missing from the synthesized stacks (the catalog module adds them)", () => {
    const report = runPolicies(stacksUnderTest(), streamingRules);
    expect(report.violations.filter((v) => v.ruleId !== "GLUE-CAT")).toEqual([]);
    expect(report.evaluations).toBeGreaterThan(20);
  });
});
