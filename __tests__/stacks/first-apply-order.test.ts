import type { TerraformJson } from "../../policies";
import { dependencyGraph } from "../../policies/dependency-graph";
import { identityAttributes, orderProblems } from "../../policies/rules/order";
import { resolveReferences } from "../helpers/references";
import { resourcesOf, stacksUnderTest, synthEnvironment } from "../helpers/synth";

/**
 * The reference-order check (policy rule ORDER) on every synthesized stack, and the same check on
 * copies of a real stack broken on purpose, one kind of hidden prerequisite at a time: it must name
 * each break, so it will name the next one of the same kind.
 */

type Blocks = Record<string, Record<string, Record<string, any>>>;
const stage = synthEnvironment("stage");
const problemsOf = (json: TerraformJson, environment = "stage") => orderProblems({ json, environment });
const copy = (): TerraformJson & { resource: Blocks } => structuredClone(stage.platform) as TerraformJson & { resource: Blocks };
const firstOf = (json: { resource: Blocks }, type: string) => Object.entries(json.resource[type])[0] as [string, Record<string, any>];

describe("creation order in every synthesized stack", () => {
  it.each(stacksUnderTest().map((s) => [s.stackName, s] as const))("%s: whatever a resource needs exists before it", (_name, stack) => {
    expect(orderProblems({ json: stack.json, environment: stack.environment })).toEqual([]);
  });

  it("knows the identity attributes of the resource types that name things", () => {
    expect(identityAttributes("aws_redshiftserverless_workgroup")).toContain("workgroup_name");
    expect(identityAttributes("aws_quicksight_data_set")).toContain("data_set_id");
    expect(identityAttributes("aws_s3_bucket")).toContain("bucket");
    // An object's bucket is the bucket it lives in, not its own name.
    expect(identityAttributes("aws_s3_object")).not.toContain("bucket");
  });
});

describe("the order check catches each kind of hidden prerequisite in a real stack broken on purpose", () => {
  it("a Glue trigger naming its job by a literal string", () => {
    const json = copy();
    const [triggerId, trigger] = firstOf(json, "aws_glue_trigger");
    trigger.actions[0].job_name = resolveReferences(trigger.actions[0].job_name, json);
    expect(trigger.actions[0].job_name).toMatch(/^dp-stage-/);
    expect(problemsOf(json).join("\n")).toMatch(new RegExp(`aws_glue_trigger\\.${triggerId}\\.actions\\.0\\.job_name names aws_glue_job\\.`));
  });

  it("an S3 object and bucket logging naming their buckets by literal strings", () => {
    const json = copy();
    const [objectId, object] = firstOf(json, "aws_s3_object");
    object.bucket = resolveReferences(object.bucket, json);
    const [loggingId, logging] = firstOf(json, "aws_s3_bucket_logging");
    logging.target_bucket = resolveReferences(logging.target_bucket, json);
    delete logging.depends_on;
    const problems = problemsOf(json).join("\n");
    expect(problems).toMatch(new RegExp(`aws_s3_object\\.${objectId}\\.bucket names aws_s3_bucket\\.`));
    expect(problems).toMatch(new RegExp(`aws_s3_bucket_logging\\.${loggingId}\\.target_bucket names aws_s3_bucket\\.`));
  });

  it("an alarm publishing to the topic by its literal ARN", () => {
    const json = copy();
    const [alarmId, alarm] = firstOf(json, "aws_cloudwatch_metric_alarm");
    // Both lists: ok_actions alone would still order the alarm after the topic.
    alarm.alarm_actions = alarm.alarm_actions.map((arn: string) => resolveReferences(arn, json));
    alarm.ok_actions = alarm.ok_actions.map((arn: string) => resolveReferences(arn, json));
    expect(alarm.alarm_actions[0]).toMatch(/^arn:aws:sns:/);
    expect(problemsOf(json).join("\n")).toMatch(new RegExp(`aws_cloudwatch_metric_alarm\\.${alarmId}\\.alarm_actions\\.0 names aws_sns_topic\\.`));
  });

  it("a Glue job created before its role's policy, its log group and the pepper's value", () => {
    const json = copy();
    const [jobId, job] = firstOf(json, "aws_glue_job");
    delete job.depends_on;
    const problems = problemsOf(json).filter((p) => p.startsWith(`aws_glue_job.${jobId}`)).join("\n");
    expect(problems).toMatch(/role_arn hands over aws_iam_role\.\S+ before its permissions aws_iam_role_policy\./);
    // Glue 5 writes to both groups of the job's --custom-logGroup-prefix.
    expect(problems).toMatch(/logs to \/aws-glue\/dp-stage\/jobs\/\S+\/error but is not ordered after aws_cloudwatch_log_group\./);
    expect(problems).toMatch(/logs to \/aws-glue\/dp-stage\/jobs\/\S+\/output but is not ordered after aws_cloudwatch_log_group\./);
    expect(problems).toMatch(/reads aws_secretsmanager_secret\.streaming_pepper\S+ but is not ordered after aws_lambda_invocation\.streaming_pepper\S+, which gives it its value/);
  });

  it("a Glue job whose log group the stack does not create", () => {
    const json = copy();
    const [jobId, job] = firstOf(json, "aws_glue_job");
    const output = `${job.default_arguments["--custom-logGroup-prefix"]}/output`;
    const [, group] = Object.entries(json.resource.aws_cloudwatch_log_group).find(([, g]) => g.name === output)!;
    group.name = `${output}-elsewhere`;
    expect(problemsOf(json).join("\n")).toContain(`aws_glue_job.${jobId} logs to ${output}, which no log group of the stack creates`);
  });

  it("a QuickSight data source before the reader's password, and a data set before its view", () => {
    const json = copy();
    const [sourceId, source] = firstOf(json, "aws_quicksight_data_source");
    source.depends_on = source.depends_on.filter((d: string) => !d.startsWith("aws_secretsmanager_secret_rotation."));
    const [dataSetId, dataSet] = firstOf(json, "aws_quicksight_data_set");
    delete dataSet.depends_on;
    const problems = problemsOf(json).join("\n");
    expect(problems).toMatch(new RegExp(`aws_quicksight_data_source\\.${sourceId} reads aws_secretsmanager_secret\\.\\S+ but is not ordered after aws_secretsmanager_secret_rotation\\.`));
    expect(problems).toMatch(new RegExp(`aws_quicksight_data_set\\.${dataSetId} reads "data_platform"\\."\\w+" but is not ordered after aws_redshiftdata_statement\\.`));
  });

  it("accepts an ordering through another resource (depends_on and references are transitive)", () => {
    const json = copy();
    const [, trigger] = firstOf(json, "aws_glue_trigger");
    const jobReference = trigger.actions[0].job_name as string;
    const jobAddress = /\$\{(aws_glue_job\.[^.]+)\./.exec(jobReference)![1];
    // Literal name, but ordered through a resource that itself depends on the job.
    trigger.actions[0].job_name = resolveReferences(jobReference, json);
    json.resource.terraform_data = { gate: { input: "x", depends_on: [jobAddress] } };
    trigger.depends_on = ["terraform_data.gate"];
    expect(dependencyGraph(json).orders(`aws_glue_trigger.${firstOf(json, "aws_glue_trigger")[0]}`, jobAddress)).toBe(true);
    expect(problemsOf(json).filter((p) => p.startsWith("aws_glue_trigger."))).toEqual([]);
  });

  it("finds nothing to order in a stack whose literal names name nothing of its own", () => {
    const { platform } = synthEnvironment("dev");
    expect(resourcesOf(platform, "aws_glue_trigger").length).toBeGreaterThan(0);
    expect(problemsOf(platform, "dev")).toEqual([]);
  });
});
