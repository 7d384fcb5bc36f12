import { ALL_RULES, formatViolations, runPolicies } from "../../policies";
import { stacksUnderTest } from "../helpers/synth";

/** The whole suite over every synthesized stack of every environment. */
describe("policy suite over every environment", () => {
  const stacks = stacksUnderTest();
  const report = runPolicies(stacks, ALL_RULES);

  it("finds no violation", () => {
    expect(formatViolations(report)).toBe("");
  });

  it("really evaluated every environment", () => {
    expect(new Set(stacks.map((s) => s.environment))).toEqual(new Set(["dev", "stage", "prod"]));
    expect(report.evaluations).toBeGreaterThan(stacks.length * ALL_RULES.length);
  });

  it("says why a rule did not apply, never skipping silently", () => {
    for (const entry of report.notApplicable) expect(entry.reason.length).toBeGreaterThan(10);
    const prodOnly = report.notApplicable.filter((n) => n.ruleId === "S3-PROD").map((n) => n.stackName);
    expect(prodOnly).toEqual(expect.arrayContaining(["data-platform-dev", "data-platform-stage"]));
    expect(prodOnly).not.toContain("data-platform-prod");
  });

  it("exempts only with a reason", () => {
    expect(report.exempted.length).toBeGreaterThan(0);
    for (const entry of report.exempted) expect(entry.reason).toMatch(/\w{4,}/);
  });

  it("has unique rule ids", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
