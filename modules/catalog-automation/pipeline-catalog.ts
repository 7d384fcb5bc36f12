import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { GlueCrawler } from "@cdktf/provider-aws/lib/glue-crawler";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { targetRetryPolicy } from "../../lib/dead-letter-queue";
import { RECRAWL_BEHAVIOR, SCHEMA_CHANGE_POLICY, crawlerConfiguration, curatedPath } from "./crawler-config";
import { OBJECT_EVENT_INPUT_PATHS, catchUpInput, curatedObjectPattern, objectEventInputTemplate } from "./event-pattern";
import { PARQUET_SERDE, glueColumns, projectionParameters } from "./glue-table";
import { PipelineCatalogProps } from "./pipeline-catalog-props";
import { crawlerRolePolicy } from "./policies";
import { ServiceRole } from "../../lib/service-role";
import { WorkflowInput, workflowDefinition } from "./workflow-definition";

/**
 * What a crawler skips under a pipeline's curated prefix: Spark's commit leftovers, and the jobs'
 * `_staging/` directories (each job writes a batch there before publishing it into the partitions).
 */
export const CRAWLER_EXCLUSIONS = ["**/_temporary/**", "**/_staging/**", "**/_SUCCESS", "**.crc"];

/** The names of one pipeline's catalog resources: one place, so tests and the stack agree. */
export function pipelineCatalogNames(namer: PipelineCatalogProps["namer"], pipeline: string) {
  return {
    crawler: namer.name("glueCrawler", pipeline, "curated"),
    crawlerRole: namer.name("iamRole", pipeline, "crawler"),
    stateMachine: namer.name("stateMachine", pipeline, "catalog"),
    rule: namer.name("eventRule", pipeline, "new-objects"),
    schedule: namer.name("schedule", pipeline, "catch-up"),
  };
}

/** The workflow's definition input for one pipeline: the stack's values, shared with the tests. */
export function pipelineWorkflowInput(props: PipelineCatalogProps): WorkflowInput {
  const { pipeline } = props;
  const names = pipelineCatalogNames(props.namer, pipeline.name);
  return {
    pipeline: pipeline.name,
    catalogMode: pipeline.catalogMode,
    curatedDatabase: props.curatedDatabase,
    tableName: pipeline.name,
    crawlerName: pipeline.catalogMode === "crawler" ? names.crawler : undefined,
    alarmTopicArn: props.alarmTopicArn,
    crawlerPollSeconds: props.crawlerPollSeconds,
    crawlerMaxPolls: props.crawlerMaxPolls,
    warehouse: props.warehouse
      ? { workgroupName: props.warehouse.workgroupName, database: props.warehouse.database, secretArn: props.warehouse.secretArn }
      : undefined,
    viewSchema: pipeline.contract.warehouse?.schema,
    views: props.warehouse ? (pipeline.contract.warehouse?.materialized_views ?? []).map((v) => v.name) : [],
    statementPollSeconds: props.statementPollSeconds,
    statementMaxPolls: props.statementMaxPolls,
  };
}

/**
 * One pipeline's catalog automation: its crawler (or declared projection table), its Step
 * Functions workflow, the new-object rule that starts it (crawler pipelines only: a projected
 * table has no partitions to register, and refreshing views per object would break the cost rule)
 * and the nightly catch-up schedule. The roles that start and run the workflow, its log group and
 * the dead-letter queues are the environment's ({@link PipelineCatalogProps.shared}).
 */
export class PipelineCatalog extends Construct {
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly tableName: string;
  /** Undefined for projection pipelines. */
  readonly crawlerName?: string;
  /** Undefined for projection pipelines. */
  readonly ruleName?: string;

  constructor(scope: Construct, id: string, props: PipelineCatalogProps) {
    super(scope, id);
    const { namer, pipeline, shared } = props;
    const arns = new Arns(namer.accountId, namer.region);
    const names = pipelineCatalogNames(namer, pipeline.name);
    const ready = [...(shared.ready ?? [])];
    this.tableName = pipeline.name;
    this.stateMachineName = names.stateMachine;

    if (pipeline.catalogMode === "crawler") {
      const crawlerRole = new ServiceRole(this, "crawler-role", {
        accountId: namer.accountId,
        region: namer.region,
        permissionsBoundaryArn: props.permissionsBoundaryArn,
        roleName: names.crawlerRole,
        service: "glue.amazonaws.com",
        description: `Crawls s3://${props.curatedBucketName}/${pipeline.name}/ into ${props.curatedDatabase}`,
        permissions: crawlerRolePolicy({
          arns,
          curatedBucketName: props.curatedBucketName,
          pipeline: pipeline.name,
          curatedDatabase: props.curatedDatabase,
          tableName: this.tableName,
          kmsKeyArn: props.kmsKeyArn,
        }),
      });
      const crawler = new GlueCrawler(this, "crawler", {
        name: names.crawler,
        description: `New partitions of ${pipeline.name} in the curated zone`,
        role: crawlerRole.role.arn,
        databaseName: props.curatedDatabase,
        s3Target: [{ path: curatedPath(props.curatedBucketName, pipeline.name), exclusions: CRAWLER_EXCLUSIONS }],
        securityConfiguration: props.glueSecurityConfigurationName,
        recrawlPolicy: { recrawlBehavior: RECRAWL_BEHAVIOR },
        schemaChangePolicy: { ...SCHEMA_CHANGE_POLICY },
        configuration: crawlerConfiguration(),
        dependsOn: [crawlerRole.policy],
      });
      this.crawlerName = crawler.name;
    } else {
      new GlueCatalogTable(this, "projected-table", {
        name: this.tableName,
        databaseName: props.curatedDatabase,
        description: `${pipeline.name}, declared from its contract (partition projection: no crawler)`,
        tableType: "EXTERNAL_TABLE",
        parameters: projectionParameters(curatedPath(props.curatedBucketName, pipeline.name), props.projectionYears, pipeline.contract.lake.partition_keys),
        partitionKeys: pipeline.contract.lake.partition_keys.map((name) => ({ name, type: "string", comment: `${name} of the event time (UTC)` })),
        storageDescriptor: {
          location: curatedPath(props.curatedBucketName, pipeline.name),
          inputFormat: PARQUET_SERDE.inputFormat,
          outputFormat: PARQUET_SERDE.outputFormat,
          serDeInfo: { serializationLibrary: PARQUET_SERDE.serializationLibrary, parameters: { "serialization.format": "1" } },
          columns: glueColumns(pipeline.contract.lake.columns),
        },
        lifecycle: { preventDestroy: props.preventDestroy },
      });
    }

    const stateMachine = new SfnStateMachine(this, "workflow", {
      name: names.stateMachine,
      type: "STANDARD",
      roleArn: shared.workflowRoleArn,
      definition: JSON.stringify(workflowDefinition(pipelineWorkflowInput(props))),
      loggingConfiguration: {
        level: "ALL",
        includeExecutionData: props.includeExecutionData,
        logDestination: `${arns.logGroup(shared.workflowLogGroupName)}:*`,
      },
      tracingConfiguration: { enabled: true },
      dependsOn: [...ready, ...(props.warehouse?.ready ?? [])],
    });
    this.stateMachineArn = stateMachine.arn;

    if (pipeline.catalogMode === "crawler") {
      const rule = new CloudwatchEventRule(this, "new-objects", {
        name: names.rule,
        description: `New Parquet data files of ${pipeline.name} in the curated zone`,
        eventPattern: JSON.stringify(curatedObjectPattern(props.curatedBucketName, pipeline.name)),
      });
      new CloudwatchEventTarget(this, "new-objects-target", {
        rule: rule.name,
        targetId: "catalog-workflow",
        arn: stateMachine.arn,
        roleArn: shared.ruleRoleArn,
        inputTransformer: { inputPaths: { ...OBJECT_EVENT_INPUT_PATHS }, inputTemplate: objectEventInputTemplate(pipeline.name) },
        retryPolicy: targetRetryPolicy(props.eventRetry),
        deadLetterConfig: { arn: shared.ruleDeadLetterQueueArn },
        ...(ready.length ? { dependsOn: ready } : {}),
      });
      this.ruleName = rule.name;
    }

    new SchedulerSchedule(this, "catch-up", {
      name: names.schedule,
      description: `Nightly catch-up crawl and view refresh of ${pipeline.name}`,
      scheduleExpression: props.catchUpSchedule,
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      state: (props.catchUpEnabled ?? true) ? "ENABLED" : "DISABLED",
      target: {
        arn: stateMachine.arn,
        roleArn: shared.scheduleRoleArn,
        input: catchUpInput(pipeline.name),
        retryPolicy: targetRetryPolicy(props.scheduleRetry),
        deadLetterConfig: { arn: shared.scheduleDeadLetterQueueArn },
      },
      ...(ready.length ? { dependsOn: ready } : {}),
    });
  }
}
