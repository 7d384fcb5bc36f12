import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueDataCatalogEncryptionSettings } from "@cdktf/provider-aws/lib/glue-data-catalog-encryption-settings";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { DEFAULT_DEAD_LETTER_RETENTION_DAYS, DeadLetterQueueOutput, deadLetterQueue, deadLetterRetentionProblems, ruleDeadLetterQueue, targetRetryProblems } from "../../lib/dead-letter-queue";
import { Namer, pipelineNamePattern } from "../../lib/naming";
import { ServiceRole } from "../../lib/service-role";
import { CatalogAutomationProps, SharedCatalogResources } from "./catalog-automation-props";
import { PipelineCatalog, pipelineCatalogNames } from "./pipeline-catalog";
import { PipelineCatalogProps } from "./pipeline-catalog-props";
import { schedulerRolePolicy, startWorkflowPolicy, workflowRolePolicy } from "./policies";

export const DEFAULT_PROJECTION_YEARS = { from: 2024, to: 2099 } as const;
export const DEFAULT_EVENT_RETRY = { maximumEventAgeSeconds: 6 * 3600, maximumRetryAttempts: 8 } as const;
export const DEFAULT_SCHEDULE_RETRY = { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 3 } as const;
export { DEFAULT_DEAD_LETTER_RETENTION_DAYS };

/** The names of what every pipeline's catalog automation shares (see `SharedCatalogResources`). */
export function sharedCatalogNames(namer: Namer) {
  return {
    workflowRole: namer.name("iamRole", "catalog-sfn"),
    workflowLogGroup: namer.logGroup("aws/vendedlogs/states", "catalog"),
    ruleRole: namer.name("iamRole", "catalog-events"),
    ruleDeadLetterQueue: namer.name("sqsQueue", "catalog-events-dlq"),
    scheduleRole: namer.name("iamRole", "catalog-sched"),
    scheduleDeadLetterQueue: namer.name("sqsQueue", "catch-up-dlq"),
    curatedDatabase: namer.name("glueDatabase", "curated"),
    rawDatabase: namer.name("glueDatabase", "raw"),
  };
}

/** The names every pipeline's catalog resources match (`dp-<env>-*-catalog`, …), for the shared roles. */
export function catalogNamePatterns(namer: Namer) {
  const pattern = (pick: (names: ReturnType<typeof pipelineCatalogNames>) => string) => pipelineNamePattern((p) => pick(pipelineCatalogNames(namer, p)));
  return { stateMachine: pattern((n) => n.stateMachine), crawler: pattern((n) => n.crawler), rule: pattern((n) => n.rule) };
}

/**
 * The Glue Data Catalog of the platform and what keeps it current: the `raw` and `curated`
 * databases, catalog encryption, what every pipeline's catalog automation shares (the roles that
 * start and run the workflows, their log group, the dead-letter queues), and per pipeline built
 * here (none where each pipeline has its own stack) a crawler (or a projected table), a workflow,
 * its new-object trigger and a nightly catch-up.
 */
export class CatalogAutomation extends Construct {
  readonly rawDatabaseName: string;
  readonly curatedDatabaseName: string;
  /** Shared by every pipeline's catalog automation; pipeline stacks name them by the same names. */
  readonly shared: SharedCatalogResources;
  /** Per pipeline: the catalog workflow's state machine ARN. */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  /** Per pipeline: its table in the curated database. */
  readonly tableNames: Readonly<Record<string, string>>;
  /** Per crawler pipeline: its crawler's name. */
  readonly crawlerNames: Readonly<Record<string, string>>;
  /** The shared dead-letter queues (for alarms on their depth). */
  readonly deadLetterQueues: readonly DeadLetterQueueOutput[];
  readonly pipelines: Readonly<Record<string, PipelineCatalog>>;

  constructor(scope: Construct, id: string, props: CatalogAutomationProps) {
    super(scope, id);
    validateCatalogProps(props);
    const preventDestroy = props.preventDestroy ?? true;

    const encryption = new GlueDataCatalogEncryptionSettings(this, "catalog-encryption", {
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: props.kmsKeyArn },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: props.kmsKeyArn },
      },
    });
    const database = (dbId: string, name: string, description: string) =>
      new GlueCatalogDatabase(this, dbId, { name, description, lifecycle: { preventDestroy }, dependsOn: [encryption] });
    const names = sharedCatalogNames(props.namer);
    const raw = database("raw-database", names.rawDatabase, "Raw zone: files as dropped, for the batch jobs");
    const curated = database("curated-database", names.curatedDatabase, "Curated zone: validated, masked Parquet per pipeline");
    this.rawDatabaseName = raw.name;
    this.curatedDatabaseName = curated.name;
    const { shared, deadLetterQueues } = this.sharedResources(props, names);
    this.shared = shared;
    this.deadLetterQueues = deadLetterQueues;

    const pipelines: Record<string, PipelineCatalog> = {};
    for (const pipeline of props.pipelines) {
      const pipelineProps: PipelineCatalogProps = {
        ...props,
        pipeline,
        curatedDatabase: this.curatedDatabaseName,
        preventDestroy,
        projectionYears: props.projectionYears ?? DEFAULT_PROJECTION_YEARS,
        eventRetry: props.eventRetry ?? DEFAULT_EVENT_RETRY,
        scheduleRetry: props.scheduleRetry ?? DEFAULT_SCHEDULE_RETRY,
        shared,
      };
      const catalog = new PipelineCatalog(this, pipeline.name, pipelineProps);
      pipelines[pipeline.name] = catalog;
    }
    this.pipelines = pipelines;
    const entries = Object.entries(pipelines);
    this.stateMachineArns = Object.fromEntries(entries.map(([name, p]) => [name, p.stateMachineArn]));
    this.tableNames = Object.fromEntries(entries.map(([name, p]) => [name, p.tableName]));
    this.crawlerNames = Object.fromEntries(entries.flatMap(([name, p]) => (p.crawlerName ? [[name, p.crawlerName]] : [])));
  }

  /**
   * The roles, log group and queues every pipeline's catalog automation uses. None reads data: they
   * start and run the workflows, whose definitions the pipelines' stacks fix; each is scoped by the
   * name patterns of the environment's catalog resources.
   */
  private sharedResources(props: CatalogAutomationProps, names: ReturnType<typeof sharedCatalogNames>) {
    const { namer } = props;
    const arns = new Arns(namer.accountId, namer.region);
    const patterns = catalogNamePatterns(namer);
    const workflows = arns.stateMachine(patterns.stateMachine);
    const roleBase = { accountId: namer.accountId, region: namer.region, permissionsBoundaryArn: props.permissionsBoundaryArn };
    const queueBase = { kmsKeyArn: props.kmsKeyArn, retentionDays: props.deadLetterRetentionDays ?? DEFAULT_DEAD_LETTER_RETENTION_DAYS };

    const workflowRole = new ServiceRole(this, "workflow-role", {
      ...roleBase,
      roleName: names.workflowRole,
      service: "states.amazonaws.com",
      description: "Runs the catalog workflow of every pipeline of the environment",
      permissions: workflowRolePolicy({
        arns,
        curatedDatabase: names.curatedDatabase,
        tableName: "*",
        crawlerName: patterns.crawler,
        alarmTopicArn: props.alarmTopicArn,
        kmsKeyArn: props.kmsKeyArn,
        warehouse: props.warehouse,
      }),
    });
    const logGroup = new CloudwatchLogGroup(this, "workflow-logs", {
      name: names.workflowLogGroup,
      kmsKeyId: props.kmsKeyArn,
      retentionInDays: props.logRetentionDays,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const ruleQueue = ruleDeadLetterQueue(this, "rule-dlq", {
      ...queueBase,
      name: names.ruleDeadLetterQueue,
      queueArn: arns.sqsQueue(names.ruleDeadLetterQueue),
      ruleArns: arns.eventRule(patterns.rule),
    });
    const ruleRole = new ServiceRole(this, "rule-role", {
      ...roleBase,
      roleName: names.ruleRole,
      service: "events.amazonaws.com",
      description: "Starts a pipeline's catalog workflow on new objects",
      permissions: startWorkflowPolicy(workflows),
    });
    const scheduleQueue = deadLetterQueue(this, "schedule-dlq", { ...queueBase, name: names.scheduleDeadLetterQueue });
    const scheduleRole = new ServiceRole(this, "schedule-role", {
      ...roleBase,
      roleName: names.scheduleRole,
      service: "scheduler.amazonaws.com",
      description: "Starts a pipeline's nightly catalog catch-up",
      permissions: schedulerRolePolicy(workflows, arns.sqsQueue(names.scheduleDeadLetterQueue), props.kmsKeyArn),
    });
    const shared: SharedCatalogResources = {
      workflowRoleArn: workflowRole.role.arn,
      workflowLogGroupName: names.workflowLogGroup,
      ruleRoleArn: ruleRole.role.arn,
      ruleDeadLetterQueueArn: ruleQueue.arn,
      scheduleRoleArn: scheduleRole.role.arn,
      scheduleDeadLetterQueueArn: scheduleQueue.arn,
      ready: [workflowRole.policy, logGroup, ruleRole.policy, scheduleRole.policy],
    };
    const deadLetterQueues: DeadLetterQueueOutput[] = [
      { chosenName: names.ruleDeadLetterQueue, name: ruleQueue.name, arn: ruleQueue.arn },
      { chosenName: names.scheduleDeadLetterQueue, name: scheduleQueue.name, arn: scheduleQueue.arn },
    ];
    return { shared, deadLetterQueues };
  }
}

/** Refuses props that would deploy something that cannot work, naming field, value and what is valid. */
export function validateCatalogProps(props: CatalogAutomationProps): void {
  const problems: string[] = [];
  const names = props.pipelines.map((p) => p.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) problems.push(`pipelines: ${JSON.stringify(duplicates)} appear more than once; each pipeline once`);
  for (const p of props.pipelines) {
    if (p.catalogMode !== "crawler" && p.catalogMode !== "projection") {
      problems.push(`pipelines.${p.name}.catalogMode is ${JSON.stringify(p.catalogMode)}: valid are "crawler" and "projection"`);
    }
  }
  if (!props.glueSecurityConfigurationName) {
    problems.push(`glueSecurityConfigurationName is ${JSON.stringify(props.glueSecurityConfigurationName)}: every crawler needs a security configuration (GLUE-SEC)`);
  }
  problems.push(...targetRetryProblems("eventRetry", props.eventRetry), ...targetRetryProblems("scheduleRetry", props.scheduleRetry));
  problems.push(...deadLetterRetentionProblems("deadLetterRetentionDays", props.deadLetterRetentionDays));
  if (problems.length > 0) throw new Error(`CatalogAutomation: ${problems.join("; ")}`);
}
