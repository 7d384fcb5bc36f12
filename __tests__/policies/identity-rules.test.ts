import { ALL_RULES, runPolicies } from "../../policies";
import { expandAction } from "../../policies/iam-catalog";
import { GITHUB_SUB, WILDCARD_RESOURCE_EXCEPTIONS, trustProblems } from "../../policies/rules/identity";
import { normalise } from "../../policies/policy-documents";
import { stackOf } from "./bad-cases/builders";
import { badTrustPolicies, goodTrustPolicies } from "./bad-cases/identity";

describe("identity rules", () => {
  it.each(Object.entries(badTrustPolicies))("IAM-TRUST refuses a trust of %s", (_title, policy) => {
    expect(trustProblems(normalise(JSON.parse(policy))).length).toBeGreaterThan(0);
  });

  it.each(Object.entries(goodTrustPolicies))("IAM-TRUST accepts a trust of %s", (_title, policy) => {
    expect(trustProblems(normalise(JSON.parse(policy)))).toEqual([]);
  });

  it("the GitHub sub pattern takes one repository and one environment, no wildcard", () => {
    expect(GITHUB_SUB.test("repo:acme-data/data-platform:environment:prod")).toBe(true);
    expect(GITHUB_SUB.test("repo:acme-data/*:environment:prod")).toBe(false);
    expect(GITHUB_SUB.test("repo:acme-data/data-platform:ref:refs/heads/main")).toBe(false);
  });

  it("IAM-SCOPE accepts * for actions AWS cannot scope", () => {
    const rule = ALL_RULES.find((r) => r.id === "IAM-SCOPE")!;
    const policy = JSON.stringify({ Statement: [{ Sid: "Xray", Effect: "Allow", Action: ["xray:PutTraceSegments", "logs:CreateLogDelivery"], Resource: "*" }] });
    expect(runPolicies([stackOf({ aws_iam_role_policy: { p: { policy } } })], [rule]).violations).toEqual([]);
  });

  it("every wildcard exception names a real, scopable action (else it is not an exception)", () => {
    for (const action of Object.keys(WILDCARD_RESOURCE_EXCEPTIONS)) {
      const [info] = expandAction(action);
      expect(info).toBeDefined();
      expect(info.wildcardOnly).toBe(false);
    }
  });

  it("expands action patterns against the IAM reference", () => {
    expect(expandAction("kinesis:Get*").map((a) => a.name)).toEqual(expect.arrayContaining(["kinesis:GetRecords", "kinesis:GetShardIterator"]));
    expect(expandAction("kinesis:Nope")).toEqual([]);
    expect(expandAction("xray:PutTraceSegments")[0].wildcardOnly).toBe(true);
  });
});
