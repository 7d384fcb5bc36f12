import { ALL_RULES, runPolicies } from "../../policies";
import { BAD_CASES } from "./bad-cases";
import { compliantBucket, stackOf } from "./bad-cases/builders";

describe("every rule can fail", () => {
  it("has a bad case for every rule in the suite", () => {
    const missing = ALL_RULES.map((r) => r.id).filter((id) => !BAD_CASES[id]);
    expect(missing).toEqual([]);
  });

  it.each(ALL_RULES.map((rule) => [rule.id, rule] as const))("%s rejects its bad case and names the resource", (id, rule) => {
    const bad = BAD_CASES[id];
    const report = runPolicies([bad.stack], [rule]);
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violations.map((v) => v.address)).toContain(bad.address);
    expect(report.violations.every((v) => v.ruleId === id)).toBe(true);
  });

  it("the compliant bucket used as the starting point passes every Storage rule", () => {
    const storage = ALL_RULES.filter((r) => r.id.startsWith("S3-"));
    expect(runPolicies([stackOf(compliantBucket(), { production: true })], storage).violations).toEqual([]);
  });

  it("accepts nested blocks as an object or a one-element array", () => {
    const asObject = compliantBucket();
    const enc = asObject.aws_s3_bucket_server_side_encryption_configuration.enc as { rule: unknown[] };
    enc.rule = enc.rule[0] as never;
    const rule = ALL_RULES.find((r) => r.id === "S3-ENC")!;
    expect(runPolicies([stackOf(asObject)], [rule]).violations).toEqual([]);
  });
});
