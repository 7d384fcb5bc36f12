import type { StackUnderTest, TerraformJson } from "../../policies";
import { dependencyGraph } from "../../policies/dependency-graph";
import { identityAttributes, orderProblems } from "../../policies/rules/order";
import { resolveReferences } from "../helpers/references";
import { stacksUnderTest } from "../helpers/synth";

/**
 * The reference-order check (policy rule ORDER) on every synthesized stack, and the same check on
 * copies of a real stack broken on purpose, one kind of hidden prerequisite at a time: it must name
 * each break, so it will name the next one of the same kind.
 */

type Blocks = Record<string, Record<string, Record<string, any>>>;
type Json = TerraformJson & { resource: Blocks; data?: Blocks };
const stacks = stacksUnderTest();
const stackOf = (name: string): StackUnderTest => stacks.find((s) => s.stackName === name)!;
const CORE = "data-platform-stage";
const ATTENDEES = "data-platform-stage-attendees";
const SESSIONS = "data-platform-stage-session-checkins";
/** A stage stack's JSON (the core by default), to break on purpose; checked with its real neighbours. */
const copy = (name = CORE): Json => structuredClone(stackOf(name).json) as Json;
const problemsOf = (json: TerraformJson, name = CORE) => orderProblems({ ...stackOf(name), json });
const firstOf = (json: { resource: Blocks }, type: string) => Object.entries(json.resource[type])[0] as [string, Record<string, any>];

describe("creation order in every synthesized stack", () => {
  it.each(stacksUnderTest().map((s) => [s.stackName, s] as const))("%s: whatever a resource needs exists before it", (_name, stack) => {
    expect(orderProblems(stack)).toEqual([]);
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
    const json = copy(ATTENDEES);
    const [triggerId, trigger] = firstOf(json, "aws_glue_trigger");
    trigger.actions[0].job_name = resolveReferences(trigger.actions[0].job_name, json);
    expect(trigger.actions[0].job_name).toMatch(/^dp-stage-/);
    expect(problemsOf(json, ATTENDEES).join("\n")).toMatch(new RegExp(`aws_glue_trigger\\.${triggerId}\\.actions\\.0\\.job_name names aws_glue_job\\.`));
  });

  it("an S3 object and bucket logging naming their buckets by literal strings", () => {
    const json = copy();
    const [objectId, object] = firstOf(json, "aws_s3_object");
    object.bucket = resolveReferences(object.bucket, json);
    expect(object.bucket).toMatch(/^dp-stage-/);
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

  it("a Glue job created before its role's policy and its log group; the Glue connection before the writer's password", () => {
    const json = copy(ATTENDEES);
    const [jobId, job] = firstOf(json, "aws_glue_job");
    delete job.depends_on;
    const problems = problemsOf(json, ATTENDEES).filter((p) => p.startsWith(`aws_glue_job.${jobId}`)).join("\n");
    expect(problems).toMatch(/role_arn hands over aws_iam_role\.\S+ before its permissions aws_iam_role_policy\./);
    // Glue 5 writes to both groups of the job's --custom-logGroup-prefix.
    expect(problems).toMatch(/logs to \/aws-glue\/dp-stage\/jobs\/\S+\/error but is not ordered after aws_cloudwatch_log_group\./);
    expect(problems).toMatch(/logs to \/aws-glue\/dp-stage\/jobs\/\S+\/output but is not ordered after aws_cloudwatch_log_group\./);
    const core = copy();
    const [connectionId, connection] = firstOf(core, "aws_glue_connection");
    delete connection.depends_on;
    expect(problemsOf(core).join("\n")).toMatch(new RegExp(`aws_glue_connection\\.${connectionId} reads aws_secretsmanager_secret\\.\\S+ but is not ordered after aws_secretsmanager_secret_rotation\\.\\S+, which gives it its value`));
  });

  it("a Glue job whose log group the stack does not create", () => {
    const json = copy(ATTENDEES);
    const [jobId, job] = firstOf(json, "aws_glue_job");
    const output = `${job.default_arguments["--custom-logGroup-prefix"]}/output`;
    const [, group] = Object.entries(json.resource.aws_cloudwatch_log_group).find(([, g]) => g.name === output)!;
    group.name = `${output}-elsewhere`;
    expect(problemsOf(json, ATTENDEES).join("\n")).toContain(`aws_glue_job.${jobId} logs to ${output}, which no log group of the stack creates`);
  });

  it("a QuickSight data source before the reader's password, and a data set before its view", () => {
    const json = copy();
    const [sourceId, source] = firstOf(json, "aws_quicksight_data_source");
    source.depends_on = source.depends_on.filter((d: string) => !d.startsWith("aws_secretsmanager_secret_rotation."));
    expect(problemsOf(json).join("\n")).toMatch(new RegExp(`aws_quicksight_data_source\\.${sourceId} reads aws_secretsmanager_secret\\.\\S+ but is not ordered after aws_secretsmanager_secret_rotation\\.`));
    const pipeline = copy(ATTENDEES);
    const [dataSetId, dataSet] = firstOf(pipeline, "aws_quicksight_data_set");
    delete dataSet.depends_on;
    expect(problemsOf(pipeline, ATTENDEES).join("\n")).toMatch(new RegExp(`aws_quicksight_data_set\\.${dataSetId} reads "data_platform"\\."\\w+" but is not ordered after aws_redshiftdata_statement\\.`));
  });

  it("accepts an ordering through another resource (depends_on and references are transitive)", () => {
    const json = copy(ATTENDEES);
    const [, trigger] = firstOf(json, "aws_glue_trigger");
    const jobReference = trigger.actions[0].job_name as string;
    const jobAddress = /\$\{(aws_glue_job\.[^.]+)\./.exec(jobReference)![1];
    // Literal name, but ordered through a resource that itself depends on the job.
    trigger.actions[0].job_name = resolveReferences(jobReference, json);
    json.resource.terraform_data = { gate: { input: "x", depends_on: [jobAddress] } };
    trigger.depends_on = ["terraform_data.gate"];
    expect(dependencyGraph(json).orders(`aws_glue_trigger.${firstOf(json, "aws_glue_trigger")[0]}`, jobAddress)).toBe(true);
    expect(problemsOf(json, ATTENDEES).filter((p) => p.startsWith("aws_glue_trigger."))).toEqual([]);
  });
});

describe("names across stacks: a pipeline stack names its core (applied before it), nothing else", () => {
  it("accepts the core's names in a pipeline stack: its roles, queues, buckets and security configuration, by literal", () => {
    const json = stackOf(ATTENDEES).json as Json;
    const literals = JSON.stringify(json.resource);
    for (const coreName of ["dp-stage-catalog-sfn", "dp-stage-catalog-events-dlq", "dp-stage-glue", "dp-stage-artifacts-444455556666-eu-west-1"]) expect(literals).toContain(coreName);
    expect(problemsOf(json, ATTENDEES)).toEqual([]);
  });

  it("refuses them where the core is not declared to come first (no dependency)", () => {
    const stack = stackOf(ATTENDEES);
    const core = stack.upstream!.find((u) => u.stackName === CORE)!;
    const problems = orderProblems({ ...stack, upstream: stack.upstream!.filter((u) => u !== core), peers: [...stack.peers!, core] }).join("\n");
    expect(problems).toMatch(/names aws_iam_role\.catalog_workflow-role\S+ of data-platform-stage by the literal "arn:aws:iam::444455556666:role\/dp-stage-catalog-sfn", but that stack is not applied before this one/);
    expect(problems).toMatch(/data\.aws_ssm_parameter\.\S+ looks up "dp-stage-core-interface", which data-platform-stage-bootstrap does not create/);
  });

  it("refuses a pipeline stack naming another pipeline's resource", () => {
    const json = copy(ATTENDEES);
    const [, trigger] = firstOf(json, "aws_glue_trigger");
    trigger.actions[0].job_name = "dp-stage-session-checkins-batch";
    expect(problemsOf(json, ATTENDEES).join("\n")).toMatch(/actions\.0\.job_name names aws_glue_job\.streaming_session_checkins_batch-job\S+ of data-platform-stage-session-checkins by the literal "dp-stage-session-checkins-batch", but that stack is not applied before this one/);
  });

  it("refuses the core naming a pipeline's resource: the core is applied first", () => {
    const json = copy();
    const [, alarm] = firstOf(json, "aws_cloudwatch_metric_alarm");
    alarm.dimensions = { ...alarm.dimensions, StreamName: "dp-stage-attendees" };
    expect(problemsOf(json).join("\n")).toMatch(new RegExp(`names aws_kinesis_stream\\.streaming_attendees_stream\\S+ of ${ATTENDEES} by the literal "dp-stage-attendees"`));
  });

  it("refuses a look-up of something no stack before it creates", () => {
    const json = copy(SESSIONS);
    const [, parameter] = Object.entries(json.data!.aws_ssm_parameter)[0];
    parameter.name = "dp-stage-core-interface-v2";
    expect(problemsOf(json, SESSIONS).join("\n")).toMatch(/looks up "dp-stage-core-interface-v2", which data-platform-stage-bootstrap, data-platform-stage does not create/);
  });
});
