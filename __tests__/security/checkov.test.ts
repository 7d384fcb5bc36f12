/**
 * The real scanner, pinned: checkov from `.venv` reads cdktf's Terraform JSON (support since checkov
 * PR #4626; older releases crashed on it, issue #5498) and fails a stack that deserves it. Its
 * policy-document checks see nothing in that JSON (cdktf writes policies as strings) and do their
 * job only on the plan view, which is why `npm run scan` scans both. The scan of the real stacks
 * runs in `npm test` as `npm run scan`.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import { ROOT, checkovExecutable, jsonView, runCheckov, writeJsonViews, writePlanViews, type ScanReport } from "../../tools/scan/checkov";
import { planView } from "../../tools/scan/plan-view";

const CHECKOV_TIMEOUT = 180_000;
/** The first run on a fresh machine builds `.venv` (pyspark and checkov from PyPI): minutes, once. */
const VENV_BUILD_TIMEOUT = 900_000;

/** A stack a scanner must complain about: an unencrypted bucket, and a role that may do anything in S3. */
function badStackFile(options: { requiredVersion?: string } = {}): string {
  const json = Testing.synthScope((scope) => {
    new S3Bucket(scope, "open-bucket", { bucket: "dp-test-open" });
    const role = new IamRole(scope, "role", {
      name: "dp-test-role",
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    });
    new IamRolePolicy(scope, "too-wide", {
      role: role.name,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*"], Resource: "*" }] }),
    });
  });
  const dir = join(mkdtempSync(join(tmpdir(), "dp-checkov-")), "stacks", "bad");
  mkdirSync(dir, { recursive: true });
  const stack = JSON.parse(json);
  // As the platform's stacks do (stacks/providers.ts).
  if (options.requiredVersion) stack.terraform = { ...stack.terraform, required_version: options.requiredVersion };
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(stack));
  return join(dir, "cdk.tf.json");
}

const failedOn = (report: ScanReport, resourcePart: string) => report.failed.filter((f) => f.resource.includes(resourcePart)).map((f) => f.check_id);

describe("checkov, as pinned", () => {
  let checkov: string;
  beforeAll(() => {
    checkov = checkovExecutable();
  }, VENV_BUILD_TIMEOUT);

  it("is the version requirements-dev.txt pins", () => {
    const pinned = readFileSync(join(ROOT, "requirements-dev.txt"), "utf8").match(/^checkov==(\S+)$/m)?.[1];
    const installed = spawnSync(checkov, ["--version"], { encoding: "utf8" }).stdout.trim();
    expect(pinned).toBeDefined();
    expect(installed).toBe(pinned);
  });

  describe("on a stack that deserves failures", () => {
    const file = badStackFile();
    let json: ScanReport;
    let plan: ScanReport;
    beforeAll(() => {
      json = runCheckov(checkov, "terraform_json", [file]);
      plan = runCheckov(checkov, "terraform_plan", writePlanViews([file], join(file, "..", "..", "..", "scan")));
    }, CHECKOV_TIMEOUT);

    it("reads cdktf's JSON without a parsing error and fails the unencrypted bucket", () => {
      expect(json.parsingErrors).toEqual([]);
      expect(failedOn(json, "open-bucket")).toEqual(expect.arrayContaining(["CKV_AWS_145", "CKV2_AWS_6"]));
    });

    it("cannot judge the policy there: its policy-document checks see a string and stay silent", () => {
      expect(failedOn(json, "too-wide")).not.toContain("CKV_AWS_290");
      expect([...json.passed, ...json.failed].filter((r) => r.check_id === "CKV_AWS_290")).toEqual([]);
    });

    it("fails the policy in the plan view: write access and restrictable actions on *", () => {
      expect(failedOn(plan, "too-wide")).toEqual(expect.arrayContaining(["CKV_AWS_290", "CKV_AWS_355"]));
    });
  });
});

describe("a stack that requires a Terraform version, as every platform stack does", () => {
  const file = badStackFile({ requiredVersion: ">= 1.11.0" });
  let checkov: string;
  beforeAll(() => {
    checkov = checkovExecutable();
  }, VENV_BUILD_TIMEOUT);

  // When a checkov upgrade parses the raw file, this fails: drop `jsonView` then.
  it("is a parsing error to the pinned checkov as synthesized (checkov #7454)", () => {
    const raw = runCheckov(checkov, "terraform_json", [file]);
    expect(raw.parsingErrors).toHaveLength(1);
    expect(raw.passed.length + raw.failed.length).toBe(0);
  }, CHECKOV_TIMEOUT);

  it("is read through the json view, which still fails the unencrypted bucket", () => {
    const view = runCheckov(checkov, "terraform_json", writeJsonViews([file], join(file, "..", "..", "..", "scan", "json")));
    expect(view.parsingErrors).toEqual([]);
    expect(failedOn(view, "open-bucket")).toEqual(expect.arrayContaining(["CKV_AWS_145", "CKV2_AWS_6"]));
  }, CHECKOV_TIMEOUT);

  it("the json view drops only the terraform block's plain values", () => {
    const stack = { terraform: { required_version: ">= 1.11.0", backend: { s3: { bucket: "b" } } }, resource: { aws_s3_bucket: { b: { bucket: "x" } } } };
    expect(jsonView(stack)).toEqual({ terraform: { backend: { s3: { bucket: "b" } } }, resource: stack.resource });
  });
});

describe("the plan view", () => {
  it("keeps each resource's values, without Terraform's meta-arguments", () => {
    const view: any = planView({ resource: { aws_s3_bucket: { b: { bucket: "x", lifecycle: { prevent_destroy: true }, depends_on: ["y"], "//": { metadata: {} } } } } });
    expect(view.planned_values.root_module.resources).toEqual([
      { address: "aws_s3_bucket.b", mode: "managed", type: "aws_s3_bucket", name: "b", provider_name: "registry.terraform.io/hashicorp/aws", schema_version: 0, values: { bucket: "x" } },
    ]);
    expect(view.resource_changes[0].change).toEqual({ actions: ["create"], before: null, after: { bucket: "x" }, after_unknown: {} });
  });
});
