import { matchesPattern } from "../../lib/event-pattern";
import { Arns } from "../../lib/arn";
import { GLUE_JOB_EVENT_INPUT_PATHS } from "../../modules/observability";
import { resolved } from "../helpers/references";
import { resourcesOf, synthAll } from "../helpers/synth";
import { jobEvent, renderTemplate } from "./helpers";

type Resource = Record<string, any>;
const sorted = (values: Iterable<string>) => [...values].sort();

describe.each(synthAll().map((s) => [s.environment.name, s] as const))("alarms of %s", (_name, synthesized) => {
  // References resolved to the names and ARNs they will have: the alarms name what AWS will see.
  const { environment } = synthesized;
  const platform = resolved(synthesized.platform, synthesized.platform);
  const arns = new Arns(environment.account.id, environment.account.region);
  const all = <T = Resource>(type: string) => resourcesOf(platform, type).map(([, r]) => r as T);
  const alarms = all("aws_cloudwatch_metric_alarm");
  const topicArn = arns.snsTopic(all("aws_sns_topic")[0].name);
  const alarmsOn = (metric: string, dimension: string) => alarms.filter((a) => a.metric_name === metric).map((a) => a.dimensions[dimension] as string);

  it("has exactly one topic, which every alarm reports to (ALARM and OK)", () => {
    expect(all("aws_sns_topic")).toHaveLength(1);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect([alarm.alarm_name, alarm.alarm_actions, alarm.ok_actions]).toEqual([alarm.alarm_name, [topicArn], [topicArn]]);
      expect(["breaching", "notBreaching", "ignore", "missing"]).toContain(alarm.treat_missing_data);
    }
  });

  it("has one iterator-age alarm per stream, and a throttling alarm per provisioned stream", () => {
    const streams = all("aws_kinesis_stream");
    expect(streams.length).toBeGreaterThan(0);
    expect(sorted(alarmsOn("GetRecords.IteratorAgeMilliseconds", "StreamName"))).toEqual(sorted(streams.map((s) => s.name)));
    const provisioned = streams.filter((s) => s.stream_mode_details.stream_mode === "PROVISIONED").map((s) => s.name);
    expect(sorted(alarmsOn("WriteProvisionedThroughputExceeded", "StreamName"))).toEqual(sorted(provisioned));
  });

  it("treats a stream nobody reads as an alarm only where streaming jobs are kept running", () => {
    const iteratorAlarms = alarms.filter((a) => a.metric_name === "GetRecords.IteratorAgeMilliseconds");
    const expected = environment.streaming.jobs === "always-on" ? "breaching" : "notBreaching";
    for (const alarm of iteratorAlarms) expect([alarm.alarm_name, alarm.treat_missing_data]).toEqual([alarm.alarm_name, expected]);
  });

  it("alarms before each warehouse usage limit is reached: a rolling day above the configured share of the limit's daily share", () => {
    const usage = alarms.filter((a) => a.namespace === "AWS/Redshift-Serverless");
    const workgroup = all("aws_redshiftserverless_workgroup")[0].workgroup_name;
    const days = { daily: 1, weekly: 7, monthly: 30 } as const;
    expect(usage.map((a) => a.alarm_name).sort()).toEqual(environment.warehouse.usageLimits.map((l) => `dp-${environment.name}-warehouse-${l.period}-usage`).sort());
    for (const limit of environment.warehouse.usageLimits) {
      const alarm = usage.find((a) => a.alarm_name === `dp-${environment.name}-warehouse-${limit.period}-usage`)!;
      // ComputeSeconds counts RPU-seconds: hours × 3600 × share / days of the period.
      const threshold = Math.round((limit.rpuHours * 3600 * environment.warehouse.usageAlarmPercent) / 100 / days[limit.period]);
      expect(alarm).toMatchObject({ metric_name: "ComputeSeconds", statistic: "Sum", period: 86400, threshold, dimensions: { Workgroup: workgroup }, treat_missing_data: "notBreaching" });
      expect(threshold).toBeLessThan((limit.rpuHours * 3600) / days[limit.period]);
    }
  });

  it("has one failed-executions alarm per state machine", () => {
    const machines = all("aws_sfn_state_machine").map((m) => arns.stateMachine(m.name));
    expect(machines.length).toBeGreaterThan(0);
    expect(sorted(alarmsOn("ExecutionsFailed", "StateMachineArn"))).toEqual(sorted(machines));
  });

  it("has one visible-messages alarm per queue (every queue of the stack is a dead-letter queue)", () => {
    const queues = all("aws_sqs_queue").map((q) => q.name as string);
    expect(queues.length).toBeGreaterThan(0);
    for (const name of queues) expect(name).toMatch(/-dlq$/);
    expect(sorted(alarmsOn("ApproximateNumberOfMessagesVisible", "QueueName"))).toEqual(sorted(queues));
  });

  describe("Glue job failures", () => {
    const rules = resourcesOf(platform, "aws_cloudwatch_event_rule").filter(([, r]) => JSON.parse(r.event_pattern).source?.includes("aws.glue"));
    const jobs = all("aws_glue_job");
    const event = (jobName: string, state: string) => jobEvent(jobName, state, environment.account.id, environment.account.region);
    const patternFor = (job: Resource) => {
      const found = rules.map(([, r]) => JSON.parse(r.event_pattern)).filter((p) => matchesPattern(p, event(job.name, "FAILED")));
      expect([job.name, found.length]).toEqual([job.name, 1]);
      return found[0];
    };

    it("are in the core, two rules by name pattern whatever the pipelines, and cover each job of every pipeline stack exactly once", () => {
      expect(rules).toHaveLength(2);
      expect(resourcesOf(synthesized.core, "aws_cloudwatch_event_rule").filter(([, r]) => JSON.parse(r.event_pattern).source?.includes("aws.glue"))).toHaveLength(2);
      for (const [, rule] of rules) expect(JSON.parse(rule.event_pattern).detail.jobName).toEqual([{ wildcard: expect.stringMatching(new RegExp(`^dp-${environment.name}-\\*-(streaming|batch)$`)) }]);
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) patternFor(job);
    });

    it("match a documented FAILED event of every platform job, not a SUCCEEDED one, nor another environment's job", () => {
      const otherJobs = synthAll()
        .filter((s) => s.environment.account.id !== environment.account.id)
        .flatMap((s) => resourcesOf(s.platform, "aws_glue_job").map(([, j]) => j.name as string));
      expect(otherJobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        const pattern = patternFor(job);
        expect(matchesPattern(pattern, event(job.name, "FAILED"))).toBe(true);
        expect(matchesPattern(pattern, event(job.name, "SUCCEEDED"))).toBe(false);
        // Kept-running streaming jobs never stop on purpose; elsewhere stopping is how a run ends.
        const keptRunning = job.command.name === "gluestreaming" && environment.streaming.jobs === "always-on";
        expect([job.name, matchesPattern(pattern, event(job.name, "STOPPED"))]).toEqual([job.name, keptRunning]);
        for (const other of otherJobs) expect(matchesPattern(pattern, event(other, "FAILED"))).toBe(false);
      }
    });

    it("publish a readable message to the topic, with an encrypted dead-letter queue and a retry policy", () => {
      for (const [, rule] of rules) {
        const targets = all("aws_cloudwatch_event_target").filter((t) => t.rule === rule.name);
        expect(targets).toHaveLength(1);
        const [target] = targets;
        expect(target.arn).toBe(topicArn);
        const [queueId, queue] = resourcesOf(platform, "aws_sqs_queue").find(([, q]) => arns.sqsQueue(q.name) === target.dead_letter_config.arn)!;
        expect(queue.kms_master_key_id).toMatch(/aws_kms_key/);
        expect(target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
        // The queue accepts dead letters from these rules only.
        const queuePolicy = all("aws_sqs_queue_policy").find((p) => p.queue_url === `\${aws_sqs_queue.${queueId}.url}`)!;
        expect(JSON.parse(queuePolicy.policy).Statement[0].Condition.ArnEquals["aws:SourceArn"]).toContain(arns.eventRule(rule.name));
        expect(target.input_transformer.input_paths).toEqual(GLUE_JOB_EVENT_INPUT_PATHS);
        const job = jobs.find((j) => matchesPattern(JSON.parse(rule.event_pattern), event(j.name, "FAILED")))!;
        const message = renderTemplate(target.input_transformer.input_template, target.input_transformer.input_paths, event(job.name, "FAILED"));
        for (const part of [job.name, "FAILED", event(job.name, "FAILED").detail.jobRunId, environment.name]) expect(message).toContain(part);
      }
    });

    it("may publish to the topic: EventBridge only for these rules, of this account", () => {
      const policy = JSON.parse(all("aws_sns_topic_policy")[0].policy);
      const events = policy.Statement.filter((s: Resource) => s.Effect === "Allow" && JSON.stringify(s.Principal).includes("events.amazonaws.com"));
      expect(events).toHaveLength(1);
      const sources: string[] = events[0].Condition.ArnEquals["aws:SourceArn"];
      expect(sorted(sources)).toEqual(sorted(rules.map(([, r]) => arns.eventRule(r.name))));
      for (const source of sources) expect(source.split(":")[4]).toBe(environment.account.id);
    });
  });
});

describe("every environment's unexpected sensitive data alarms", () => {
  const { synthAll: all, resourcesOf: of } = require("../helpers/synth") as typeof import("../helpers/synth");
  it("exist once per deployed pipeline, publishing to the alarm topic, on the jobs' metric", () => {
    for (const s of all()) {
      const alarms = of(s.platform, "aws_cloudwatch_metric_alarm").filter(([, a]) => a.metric_name === "UnexpectedDetections");
      const jobs = of(s.platform, "aws_glue_job").filter(([, j]) => j.command.name === "gluestreaming");
      expect(alarms.length).toBe(jobs.length);
      for (const [, alarm] of alarms) {
        expect(alarm.namespace).toBe("DataPlatform/SensitiveData");
        expect(Object.keys(alarm.dimensions)).toEqual(["Pipeline"]);
        expect(alarm.alarm_actions).toHaveLength(1);
      }
    }
  });
});
