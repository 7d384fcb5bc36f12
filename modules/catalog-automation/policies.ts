import { Arns } from "../../lib/arn";
import { PolicyDocument, PolicyStatement, allow, policyDocument } from "../../lib/iam";

/**
 * The catalog automation's IAM documents. Every resource is an ARN computed from a deterministic
 * name, so the policies stay literal in the synthesized JSON and the tests simulate them as is.
 */

export const KMS_USE = ["kms:Decrypt", "kms:GenerateDataKey"];

/** Glue ARNs a request on one table is evaluated against: the catalog, the database, the table. */
export function glueTableArns(arns: Arns, database: string, table: string): string[] {
  return [arns.glue("catalog"), arns.glue(`database/${database}`), arns.glue(`table/${database}/${table}`)];
}

export interface CrawlerPolicyInput {
  readonly arns: Arns;
  readonly curatedBucketName: string;
  readonly pipeline: string;
  readonly curatedDatabase: string;
  /** The table the crawler maintains: named after the pipeline's folder. */
  readonly tableName: string;
  readonly kmsKeyArn: string;
}

/** Crawler role: read one curated prefix, write one table of the curated database, encrypted logs. */
export function crawlerRolePolicy(input: CrawlerPolicyInput): PolicyDocument {
  const { arns } = input;
  const crawlerLogs = "/aws-glue/crawlers*";
  return policyDocument(
    allow("ListPipelinePrefix", ["s3:ListBucket"], [arns.s3Bucket(input.curatedBucketName)], {
      StringLike: { "s3:prefix": [`${input.pipeline}/`, `${input.pipeline}/*`] },
    }),
    allow("ReadPipelineObjects", ["s3:GetObject"], [arns.s3Objects(input.curatedBucketName, `${input.pipeline}/`)]),
    // A crawler looks up its S3 target's Region before listing it (the crawler policy Glue documents grants it).
    allow("LocateCuratedBucket", ["s3:GetBucketLocation"], [arns.s3Bucket(input.curatedBucketName)]),
    allow(
      "MaintainPipelineTable",
      [
        "glue:BatchCreatePartition",
        "glue:BatchGetPartition",
        "glue:BatchUpdatePartition",
        "glue:CreatePartition",
        "glue:CreateTable",
        "glue:GetDatabase",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:GetTable",
        "glue:UpdatePartition",
        "glue:UpdateTable",
      ],
      glueTableArns(arns, input.curatedDatabase, input.tableName),
    ),
    allow("ListCuratedTables", ["glue:GetTables"], [arns.glue("catalog"), arns.glue(`database/${input.curatedDatabase}`), arns.glue(`table/${input.curatedDatabase}/*`)]),
    allow("PlatformKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [input.kmsKeyArn]),
    allow(
      "EncryptedCrawlerLogs",
      ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
      [arns.logGroup(crawlerLogs), arns.logStreams(crawlerLogs)],
    ),
  );
}

export interface WorkflowWarehouseAccess {
  /** The workgroup's ARN: it ends in a generated id, so it comes from the warehouse module. */
  readonly workgroupArn: string;
  /** Secret auth when set; IAM auth (redshift-serverless:GetCredentials) otherwise. */
  readonly secretArn?: string;
}

export interface WorkflowPolicyInput {
  readonly arns: Arns;
  readonly curatedDatabase: string;
  readonly tableName: string;
  /** Absent for projection pipelines: no Glue calls at all. */
  readonly crawlerName?: string;
  readonly alarmTopicArn: string;
  readonly kmsKeyArn: string;
  /** Absent (or no views): no Redshift access. */
  readonly warehouse?: WorkflowWarehouseAccess;
}

/**
 * Actions AWS offers no resource scoping for (iam-data: wildcard-only): the state machine's log
 * delivery to CloudWatch Logs (the vended-logs delivery API works account-wide), X-Ray trace
 * segments, and reading a Data API statement (which is bound to the caller's session instead).
 */
export const WORKFLOW_UNSCOPABLE_ACTIONS = {
  logDelivery: [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
  ],
  tracing: ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"],
  statementStatus: ["redshift-data:DescribeStatement"],
} as const;

/** State machine role: exactly the calls its definition makes, on this pipeline's resources. */
export function workflowRolePolicy(input: WorkflowPolicyInput): PolicyDocument {
  const { arns } = input;
  const statements: PolicyStatement[] = [];
  if (input.crawlerName) {
    statements.push(allow("LookUpPartition", ["glue:GetPartition"], glueTableArns(arns, input.curatedDatabase, input.tableName)));
    statements.push(allow("RunPipelineCrawler", ["glue:GetCrawler", "glue:StartCrawler"], [arns.glue(`crawler/${input.crawlerName}`)]));
  }
  if (input.warehouse) {
    statements.push(allow("RefreshViews", ["redshift-data:ExecuteStatement"], [input.warehouse.workgroupArn]));
    statements.push(allow("ReadStatementStatus", [...WORKFLOW_UNSCOPABLE_ACTIONS.statementStatus], ["*"]));
    statements.push(
      input.warehouse.secretArn
        ? allow("WarehouseSecret", ["secretsmanager:GetSecretValue"], [input.warehouse.secretArn])
        : allow("WarehouseIamAuth", ["redshift-serverless:GetCredentials"], [input.warehouse.workgroupArn]),
    );
  }
  statements.push(allow("PublishAlarm", ["sns:Publish"], [input.alarmTopicArn]));
  statements.push(allow("PlatformKey", KMS_USE, [input.kmsKeyArn]));
  statements.push(allow("DeliverExecutionLogs", [...WORKFLOW_UNSCOPABLE_ACTIONS.logDelivery], ["*"]));
  statements.push(allow("Tracing", [...WORKFLOW_UNSCOPABLE_ACTIONS.tracing], ["*"]));
  return policyDocument(...statements);
}

/** EventBridge rule role: start this pipeline's workflow, nothing else. */
export function startWorkflowPolicy(stateMachineArn: string): PolicyDocument {
  return policyDocument(allow("StartPipelineWorkflow", ["states:StartExecution"], [stateMachineArn]));
}

/**
 * Scheduler role: start the workflow, and (EventBridge Scheduler sends undeliverable invocations
 * with the schedule's own role) write to the encrypted dead-letter queue.
 */
export function schedulerRolePolicy(stateMachineArn: string, deadLetterQueueArn: string, kmsKeyArn: string): PolicyDocument {
  return policyDocument(
    allow("StartPipelineWorkflow", ["states:StartExecution"], [stateMachineArn]),
    allow("DeadLetters", ["sqs:SendMessage"], [deadLetterQueueArn]),
    allow("PlatformKey", KMS_USE, [kmsKeyArn]),
  );
}

/** Moved to `lib/dead-letter-queue.ts` (shared with the alarms); re-exported for existing callers. */
export { ruleDeadLetterQueuePolicy } from "../../lib/dead-letter-queue";
