import { matchesPattern } from "../../lib/event-pattern";
import { Namer } from "../../lib/naming";
import {
  GLUE_JOB_EVENT_INPUT_PATHS,
  alarmDefinitions,
  alarmTopicPolicy,
  glueJobFailurePattern,
  glueJobFailureTemplate,
  glueJobNamePattern,
  purposeOf,
} from "../../modules/observability";
import { glueJobStateChange as fixture, jobEvent, renderTemplate } from "./helpers";

const namer = new Namer("dev", "111122223333", "eu-west-1");
const inputs = {
  namer,
  streams: [
    { pipeline: "orders", streamName: "dp-dev-orders", provisioned: true },
    { pipeline: "clicks", streamName: "dp-dev-clicks", provisioned: false },
  ],
  stateMachineArns: { orders: "arn:aws:states:eu-west-1:111122223333:stateMachine:dp-dev-orders-catalog" },
  deadLetterQueues: ["dp-dev-orders-catalog-events-dlq", "dp-dev-glue-failures-dlq"].map((name, i) => ({ chosenName: name, name: `\${aws_sqs_queue.q${i}.name}` })),
  iteratorAgeThresholdMinutes: 15,
};

describe("alarm definitions", () => {
  const definitions = alarmDefinitions(inputs);
  const of = (metric: string) => definitions.filter((d) => d.metricName === metric);

  it("has one iterator-age alarm per stream, on the Maximum, in milliseconds", () => {
    const ages = of("GetRecords.IteratorAgeMilliseconds");
    expect(ages.map((d) => d.dimensions)).toEqual([{ StreamName: "dp-dev-orders" }, { StreamName: "dp-dev-clicks" }]);
    for (const d of ages) {
      expect([d.namespace, d.statistic, d.threshold]).toEqual(["AWS/Kinesis", "Maximum", 15 * 60 * 1000]);
      // Nobody reading the stream is the failure: no data counts as breaching.
      expect(d.treatMissingData).toBe("breaching");
    }
    expect(alarmDefinitions({ ...inputs, iteratorAgeThresholdMinutes: 5 })[0].threshold).toBe(300_000);
  });

  it("alarms on write throttling only for provisioned streams", () => {
    expect(of("WriteProvisionedThroughputExceeded").map((d) => [d.dimensions.StreamName, d.statistic, d.threshold, d.treatMissingData])).toEqual([
      ["dp-dev-orders", "Sum", 0, "notBreaching"],
    ]);
  });

  it("has one failed-executions alarm per state machine, by ARN", () => {
    expect(of("ExecutionsFailed").map((d) => [d.namespace, d.dimensions, d.statistic, d.threshold])).toEqual([
      ["AWS/States", { StateMachineArn: inputs.stateMachineArns.orders }, "Sum", 0],
    ]);
  });

  it("has one visible-messages alarm per dead-letter queue, named without repeating the prefix", () => {
    const queues = of("ApproximateNumberOfMessagesVisible");
    expect(queues.map((d) => [d.dimensions.QueueName, d.alarmName])).toEqual([
      ["${aws_sqs_queue.q0.name}", "dp-dev-orders-catalog-events-dlq-messages"],
      ["${aws_sqs_queue.q1.name}", "dp-dev-glue-failures-dlq-messages"],
    ]);
    for (const d of queues) expect([d.namespace, d.statistic, d.comparisonOperator, d.threshold]).toEqual(["AWS/SQS", "Maximum", "GreaterThanThreshold", 0]);
  });

  it("gives every alarm a distinct, convention-following name and construct id", () => {
    expect(definitions).toHaveLength(2 + 1 + 1 + 2);
    expect(new Set(definitions.map((d) => d.alarmName)).size).toBe(definitions.length);
    expect(new Set(definitions.map((d) => d.id)).size).toBe(definitions.length);
    for (const d of definitions) expect(d.alarmName.startsWith("dp-dev-")).toBe(true);
    expect(purposeOf(namer, "other-name")).toBe("other-name");
  });

  it("refuses a threshold that is not a positive number of minutes", () => {
    expect(() => alarmDefinitions({ ...inputs, iteratorAgeThresholdMinutes: 0 })).toThrow(/iteratorAgeThresholdMinutes is 0/);
  });
});

describe("Glue job failure pattern", () => {
  const streaming = glueJobFailurePattern(glueJobNamePattern(namer, "streaming"), "streaming");
  const batch = glueJobFailurePattern(glueJobNamePattern(namer, "batch"), "batch");

  it("matches the documented FAILED event for a platform job", () => {
    expect(matchesPattern(streaming, jobEvent("dp-dev-orders-streaming", "FAILED"))).toBe(true);
    expect(matchesPattern(batch, jobEvent("dp-dev-orders-batch", "TIMEOUT"))).toBe(true);
    expect(matchesPattern(batch, jobEvent("dp-dev-orders-batch", "ERROR"))).toBe(true);
  });

  it("matches every pipeline's job of its kind, including one added after the rule", () => {
    expect(glueJobNamePattern(namer, "streaming")).toBe("dp-dev-*-streaming");
    expect(matchesPattern(streaming, jobEvent("dp-dev-clickstream-events-streaming", "FAILED"))).toBe(true);
  });

  it("ignores runs that went well, and jobs that are not the environment's of the kind", () => {
    expect(matchesPattern(streaming, jobEvent("dp-dev-orders-streaming", "SUCCEEDED"))).toBe(false);
    expect(matchesPattern(streaming, jobEvent("dp-dev-orders-streaming", "RUNNING"))).toBe(false);
    expect(matchesPattern(streaming, jobEvent(fixture.detail.jobName, "FAILED"))).toBe(false);
    expect(matchesPattern(streaming, jobEvent("dp-dev-orders-batch", "FAILED"))).toBe(false);
    expect(matchesPattern(streaming, jobEvent("dp-dev2-orders-streaming", "FAILED"))).toBe(false);
    expect(matchesPattern(streaming, jobEvent("dp-prod-orders-streaming", "FAILED"))).toBe(false);
    expect(matchesPattern(streaming, { ...jobEvent("dp-dev-orders-streaming", "FAILED"), source: "aws.states" })).toBe(false);
  });

  it("treats STOPPED as a failure for streaming jobs only", () => {
    expect(matchesPattern(streaming, jobEvent("dp-dev-orders-streaming", "STOPPED"))).toBe(true);
    expect(matchesPattern(batch, jobEvent("dp-dev-orders-batch", "STOPPED"))).toBe(false);
  });

  it("refuses a single name: the rule must match every job of the kind", () => {
    expect(() => glueJobFailurePattern("dp-dev-orders-batch", "batch")).toThrow(/is no wildcard/);
  });

  it("renders a readable message with job, state, run id and Glue's message", () => {
    const event = jobEvent("dp-dev-orders-streaming", "FAILED");
    const message = renderTemplate(glueJobFailureTemplate("dev", "streaming"), GLUE_JOB_EVENT_INPUT_PATHS, event);
    expect(typeof message).toBe("string");
    for (const part of ["[dev]", "dp-dev-orders-streaming", "FAILED", fixture.detail.jobRunId, fixture.detail.message]) expect(message).toContain(part);
    expect(message).not.toMatch(/<[a-zA-Z]+>/);
  });
});

describe("alarm topic policy", () => {
  const topic = "arn:aws:sns:eu-west-1:111122223333:dp-dev-alarms";
  const rule = "arn:aws:events:eu-west-1:111122223333:rule/dp-dev-glue-batch-failures";

  it("lets EventBridge publish only for the named rules", () => {
    const statements = alarmTopicPolicy(topic, "111122223333", undefined, [rule]).Statement;
    const events = statements.filter((s) => s.Effect === "Allow" && JSON.stringify(s.Principal).includes("events.amazonaws.com"));
    expect(events).toHaveLength(1);
    expect(events[0].Condition).toEqual({ ArnEquals: { "aws:SourceArn": [rule] } });
    expect(events[0].Action).toEqual(["sns:Publish"]);
  });

  it("has no EventBridge statement when no rule publishes", () => {
    expect(JSON.stringify(alarmTopicPolicy(topic, "111122223333"))).not.toContain("events.amazonaws.com");
  });
});

describe("the unexpected sensitive data alarm", () => {
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const { join } = require("node:path") as typeof import("node:path");
  const { JOB_METRIC_NAMESPACES, SENSITIVE_DATA_METRIC_NAMESPACE, UNEXPECTED_DETECTIONS_METRIC } = require("../../modules/streaming") as typeof import("../../modules/streaming");
  const python = readFileSync(join(__dirname, "..", "..", "glue-jobs", "platform_etl", "sensitive_content.py"), "utf8");
  const pythonConstant = (name: string) => new RegExp(`^${name} = "([^"]+)"`, "m").exec(python)?.[1];

  it("watches the very metric the jobs publish, in a namespace their roles may publish to", () => {
    expect(pythonConstant("METRIC_NAMESPACE")).toBe(SENSITIVE_DATA_METRIC_NAMESPACE);
    expect(pythonConstant("UNEXPECTED_METRIC")).toBe(UNEXPECTED_DETECTIONS_METRIC);
    expect(JOB_METRIC_NAMESPACES).toContain(SENSITIVE_DATA_METRIC_NAMESPACE);
  });

  it("is one alarm per pipeline on one metric per pipeline: any unexpected detection in a five-minute period", () => {
    const sensitiveData = { namespace: SENSITIVE_DATA_METRIC_NAMESPACE, metricName: UNEXPECTED_DETECTIONS_METRIC, pipelines: ["orders", "clicks"] };
    const alarms = alarmDefinitions({ ...inputs, sensitiveData }).filter((d) => d.metricName === UNEXPECTED_DETECTIONS_METRIC);
    expect(alarms.map((d) => [d.alarmName, d.dimensions])).toEqual([
      ["dp-dev-orders-unexpected-pii", { Pipeline: "orders" }],
      ["dp-dev-clicks-unexpected-pii", { Pipeline: "clicks" }],
    ]);
    for (const d of alarms) {
      expect([d.namespace, d.statistic, d.threshold, d.comparisonOperator, d.periodSeconds, d.evaluationPeriods, d.treatMissingData]).toEqual([
        SENSITIVE_DATA_METRIC_NAMESPACE, "Sum", 0, "GreaterThanThreshold", 300, 1, "notBreaching",
      ]);
    }
    expect(alarmDefinitions(inputs).some((d) => d.metricName === UNEXPECTED_DETECTIONS_METRIC)).toBe(false);
  });
});
