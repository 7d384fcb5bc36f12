import { PLATFORM_SERVICES, PLAN_READS } from "../../modules/ci-identity/policies";
import { synthAll } from "../helpers/synth";

/**
 * The IAM service each Terraform resource type is managed through. A type missing here fails the
 * test below: someone added a kind of resource, and the CI roles may not be able to deploy it.
 */
const SERVICE_OF_TYPE: [RegExp, string][] = [
  [/^aws_s3_/, "s3"],
  [/^aws_kms_/, "kms"],
  [/^aws_kinesis_/, "kinesis"],
  [/^aws_glue_/, "glue"],
  [/^aws_sfn_/, "states"],
  [/^aws_cloudwatch_metric_alarm$/, "cloudwatch"],
  [/^aws_cloudwatch_event_/, "events"],
  [/^aws_scheduler_/, "scheduler"],
  [/^aws_sqs_/, "sqs"],
  [/^aws_sns_/, "sns"],
  [/^aws_cloudwatch_log_/, "logs"],
  [/^aws_redshiftserverless_/, "redshift-serverless"],
  [/^aws_redshiftdata_/, "redshift-data"],
  [/^aws_secretsmanager_/, "secretsmanager"],
  [/^aws_athena_/, "athena"],
  [/^aws_quicksight_/, "quicksight"],
  [/^aws_(vpc|subnet|route_table|security_group|default_security_group|flow_log|vpc_endpoint)/, "ec2"],
  [/^aws_iam_/, "iam"],
  [/^aws_lambda_/, "lambda"],
];

export function serviceOf(type: string): string | undefined {
  return SERVICE_OF_TYPE.find(([pattern]) => pattern.test(type))?.[1];
}

describe("the CI roles cover what the platform deploys", () => {
  const types = new Set(
    synthAll().flatMap((s) => [
      ...Object.keys(s.platform.resource ?? {}),
      ...Object.keys(s.platform.data ?? {}).filter((t) => t.startsWith("aws_")),
    ]),
  );

  it("knows the service of every resource type in every environment", () => {
    expect([...types].filter((t) => !serviceOf(t))).toEqual([]);
  });

  it("lets the apply role manage every such service (IAM through its prefixed statements)", () => {
    const services = new Set([...types].map((t) => serviceOf(t)!).filter((s) => s !== "iam"));
    expect([...services].filter((s) => !(PLATFORM_SERVICES as readonly string[]).includes(s))).toEqual([]);
  });

  it("lets the plan role read every such service's configuration (S3 through its own statements)", () => {
    const services = new Set([...types].map((t) => serviceOf(t)!).filter((s) => s !== "s3"));
    expect([...services].filter((s) => !PLAN_READS[s])).toEqual([]);
  });

  it("grants no service the platform does not deploy", () => {
    const used = new Set([...types].map((t) => serviceOf(t)));
    expect(PLATFORM_SERVICES.filter((s) => !used.has(s))).toEqual([]);
  });
});
