import { simulate, unknownActions, withStandIns } from "../helpers/iam";

/** The IAM helpers other tests rely on must themselves be able to say no. */
describe("IAM test helpers", () => {
  const stream = (name: string) => `arn:aws:kinesis:eu-west-1:111122223333:stream/${name}`;
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["kinesis:GetRecords"], Resource: [stream("a")] }] };

  it("simulate allows what the policy grants and denies the rest", async () => {
    expect(await simulate([policy], "kinesis:GetRecords", stream("a"))).toBe("Allowed");
    expect(await simulate([policy], "kinesis:GetRecords", stream("b"))).toBe("ImplicitlyDenied");
    expect(await simulate([policy], "kinesis:PutRecord", stream("a"))).toBe("ImplicitlyDenied");
  });

  it("unknownActions finds invented actions and patterns that match nothing", async () => {
    expect(await unknownActions(["kinesis:GetRecords", "kinesis:Nope", "glue:Get*", "glue:Zz*", "nocolon"])).toEqual(["kinesis:Nope", "glue:Zz*", "nocolon"]);
  });

  it("replaces Terraform references to the platform key", () => {
    expect(withStandIns('{"Resource":"${aws_kms_key.lake_platform-key_key_1.arn}"}')).toContain("arn:aws:kms:eu-west-1:111122223333:key/");
  });
});
