import { Token } from "cdktf";
import { Arns } from "../../lib/arn";
import { PolicyDocument, PolicyStatement, allow, policyDocument } from "../../lib/iam";
import { ArtifactPrefixes, JobBuckets, JobKind, glueJobLogGroupPrefix, jobWorkPrefixes, pipelinePrefix } from "./job-arguments";

/**
 * Least-privilege policies of the streaming module, as pure functions: every resource is an ARN
 * computed from a deterministic name, so the synthesized JSON stays literal and simulatable.
 */

/** Reads of S3 objects need the key to decrypt; writes need a data key (and Encrypt for the security configuration's CSE bookmarks). */
export const KMS_JOB_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];
const OBJECT_READ = ["s3:GetObject"];
/** Spark's commit protocol renames by copy + delete, and aborts large uploads it gives up on. */
const OBJECT_READ_WRITE = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"];
const KINESIS_CONSUMER = [
  "kinesis:DescribeStream",
  "kinesis:DescribeStreamSummary",
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:ListShards",
  "kinesis:SubscribeToShard",
];
const LOG_WRITE = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"];

/**
 * The namespaces a job publishes metrics to: Glue's own (`--enable-metrics`) and the detection
 * counts of `glue-jobs/platform_etl/sensitive_content.py` (a test compares the two).
 */
export const SENSITIVE_DATA_METRIC_NAMESPACE = "DataPlatform/SensitiveData";
/** Its metric of detections the contract does not expect (dimension `Pipeline`). */
export const UNEXPECTED_DETECTIONS_METRIC = "UnexpectedDetections";
export const JOB_METRIC_NAMESPACES = ["Glue", SENSITIVE_DATA_METRIC_NAMESPACE];

/** Actions AWS offers no resource scoping for, each with the reason it is granted on `*`. */
export const WILDCARD_ONLY_ACTIONS: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "metrics have no ARN (the optional dataset resource does not apply to Glue's metrics); the namespace condition limits it to Glue's and the detection counts'",
  "ec2:DescribeNetworkInterfaces": "Glue looks up the ENIs it placed in the connection's subnet",
  "ec2:DescribeVpcEndpoints": "Glue checks for the S3 gateway endpoint of the connection's VPC",
  "ec2:DescribeSubnets": "Glue reads the connection's subnet",
  "ec2:DescribeSecurityGroups": "Glue checks the connection's security groups allow self-referencing traffic",
  "ec2:DescribeVpcs": "Glue reads the connection's VPC",
  "ec2:DescribeRouteTables": "Glue checks the subnet routes to S3",
};

/** An S3 location outside the platform (a reference at an `s3://bucket/prefix/` URI). */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  // A bucket of this stack arrives as a reference (a token): its name was checked where it was made.
  if (!match || !(Token.isUnresolved(match[1]) || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1]))) {
    throw new Error(`"${uri}" is not an s3:// URI with a valid bucket name (s3://bucket/prefix/)`);
  }
  return { bucket: match[1], prefix: match[2] };
}

export interface JobWarehouseAccess {
  readonly connectionName: string;
  /** Secret the Glue connection takes its Redshift credentials from. */
  readonly connectionSecretArn: string;
  /** Where the Redshift connector stages files, when not under the job's own temp prefix. */
  readonly tmpDir?: string;
}

export interface JobPolicyInput {
  readonly kind: JobKind;
  readonly pipeline: string;
  readonly accountId: string;
  readonly region: string;
  readonly buckets: JobBuckets;
  readonly prefixes: ArtifactPrefixes;
  /** Quarantine bucket prefix of the raw payloads (`<prefix><pipeline>/`). */
  readonly quarantinePayloadPrefix: string;
  /** Exact keys the job runs from: its entry script and the library zip. */
  readonly codeKeys: readonly string[];
  readonly kmsKeyArn: string;
  readonly pepperSecretName: string;
  /** Streaming only: the stream the job consumes. */
  readonly streamName?: string;
  /** The log groups Glue writes the job's logs to (`--custom-logGroup-prefix`). */
  readonly logGroups: readonly string[];
  readonly securityConfigurationName: string;
  readonly roleName: string;
  /** References at `s3://` URIs outside the reference bucket. */
  readonly externalReferenceUris?: readonly string[];
  readonly warehouse?: JobWarehouseAccess;
}

function listWithin(sid: string, bucketArn: string, prefixes: readonly string[]): PolicyStatement {
  const patterns = [...new Set(prefixes.flatMap((p) => [p, `${p}*`]))];
  return allow(sid, ["s3:ListBucket"], [bucketArn], { StringLike: { "s3:prefix": patterns } });
}

function s3Statements(input: JobPolicyInput, arns: Arns): PolicyStatement[] {
  const { buckets, pipeline, prefixes } = input;
  const own = pipelinePrefix(pipeline);
  const work = jobWorkPrefixes(prefixes, pipeline, input.kind);
  // The pending warehouse rows only for a job that loads the warehouse.
  const workPrefixes = [work.checkpoint, work.temp, work.sparkUi, input.warehouse ? work.warehousePending : undefined].filter((p): p is string => p !== undefined);
  const contractPrefix = `${prefixes.contracts}${own}`;
  const statements: PolicyStatement[] = [
    allow("ReadOwnCodeAndContract", OBJECT_READ, [...input.codeKeys.map((key) => `${arns.s3Bucket(buckets.artifacts)}/${key}`), arns.s3Objects(buckets.artifacts, contractPrefix)]),
    allow("ReadWriteOwnWorkAreas", OBJECT_READ_WRITE, workPrefixes.map((p) => arns.s3Objects(buckets.artifacts, p))),
    listWithin("ListOwnArtifacts", arns.s3Bucket(buckets.artifacts), [contractPrefix, ...workPrefixes]),
    allow("ReadOwnReferenceData", OBJECT_READ, [arns.s3Objects(buckets.reference, own)]),
    listWithin("ListOwnReferenceData", arns.s3Bucket(buckets.reference), [own]),
    allow("WriteOwnCuratedAndQuarantine", OBJECT_READ_WRITE, [
      arns.s3Objects(buckets.curated, own),
      arns.s3Objects(buckets.quarantine, own),
      arns.s3Objects(buckets.quarantine, `${input.quarantinePayloadPrefix}${own}`),
    ]),
    listWithin("ListOwnCurated", arns.s3Bucket(buckets.curated), [own]),
    listWithin("ListOwnQuarantine", arns.s3Bucket(buckets.quarantine), [own, `${input.quarantinePayloadPrefix}${own}`]),
  ];
  if (input.kind === "batch") {
    statements.push(allow("ReadOwnRawFiles", OBJECT_READ, [arns.s3Objects(buckets.raw, own)]), listWithin("ListOwnRawFiles", arns.s3Bucket(buckets.raw), [own]));
  }
  (input.externalReferenceUris ?? []).forEach((uri, index) => {
    const location = parseS3Uri(uri);
    statements.push(
      allow(`ReadExternalReference${index}`, OBJECT_READ, [arns.s3Objects(location.bucket, location.prefix)]),
      listWithin(`ListExternalReference${index}`, arns.s3Bucket(location.bucket), [location.prefix]),
    );
  });
  const warehouseTmp = input.warehouse?.tmpDir ? parseS3Uri(input.warehouse.tmpDir) : undefined;
  if (warehouseTmp && !(warehouseTmp.bucket === buckets.artifacts && warehouseTmp.prefix.startsWith(work.temp))) {
    statements.push(
      allow("ReadWriteWarehouseStaging", OBJECT_READ_WRITE, [arns.s3Objects(warehouseTmp.bucket, warehouseTmp.prefix)]),
      listWithin("ListWarehouseStaging", arns.s3Bucket(warehouseTmp.bucket), [warehouseTmp.prefix]),
    );
  }
  return statements;
}

function logStatements(input: JobPolicyInput, arns: Arns): PolicyStatement {
  const glueOwn = `${glueJobLogGroupPrefix(input.securityConfigurationName, input.roleName)}*`;
  return allow("WriteOwnLogs", LOG_WRITE, [
    ...input.logGroups.flatMap((group) => [arns.logGroup(group), arns.logStreams(group)]),
    arns.logGroup(glueOwn),
    arns.logStreams(glueOwn),
  ]);
}

function ec2Arn(arns: Arns, resource: string): string {
  return `arn:${arns.partition}:ec2:${arns.region}:${arns.accountId}:${resource}`;
}

function warehouseStatements(warehouse: JobWarehouseAccess, arns: Arns): PolicyStatement[] {
  const networkInterfaces = ec2Arn(arns, "network-interface/*");
  return [
    allow("ReadWarehouseConnection", ["glue:GetConnection"], [arns.glue("catalog"), arns.glue(`connection/${warehouse.connectionName}`)]),
    allow("ReadWarehouseCredentials", ["secretsmanager:GetSecretValue"], [warehouse.connectionSecretArn]),
    allow("DescribeConnectionNetwork", Object.keys(WILDCARD_ONLY_ACTIONS).filter((a) => a.startsWith("ec2:")), ["*"]),
    // Glue checks the connection's VPC has DNS support and hostnames on (AWSGlueServiceRole grants it);
    // unlike the Describe* above, the action is scoped to a VPC.
    allow("DescribeConnectionVpc", ["ec2:DescribeVpcAttribute"], [ec2Arn(arns, "vpc/*")]),
    // Glue places ENIs in the connection's subnet; their ids are unknown until it does.
    allow("ManageConnectionInterfaces", ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"], [
      networkInterfaces,
      ec2Arn(arns, "subnet/*"),
      ec2Arn(arns, "security-group/*"),
    ]),
    allow("TagConnectionInterfaces", ["ec2:CreateTags", "ec2:DeleteTags"], [networkInterfaces], {
      "ForAllValues:StringEquals": { "aws:TagKeys": ["aws-glue-service-resource"] },
    }),
  ];
}

/** The inline policy of one job's role: exactly what its script and Glue do on its behalf. */
export function jobRolePolicy(input: JobPolicyInput): PolicyDocument {
  const arns = new Arns(input.accountId, input.region);
  if (input.kind === "streaming" && !input.streamName) throw new Error(`${input.pipeline} streaming job: streamName is required`);
  const statements: PolicyStatement[] = [
    ...(input.streamName && input.kind === "streaming" ? [allow("ConsumeOwnStream", KINESIS_CONSUMER, [arns.kinesisStream(input.streamName)])] : []),
    ...s3Statements(input, arns),
    allow("UsePlatformKey", KMS_JOB_ACTIONS, [input.kmsKeyArn]),
    allow("ReadPepper", ["secretsmanager:GetSecretValue"], [arns.secret(input.pepperSecretName)]),
    logStatements(input, arns),
    allow("PublishGlueMetrics", ["cloudwatch:PutMetricData"], ["*"], { StringEquals: { "cloudwatch:namespace": JOB_METRIC_NAMESPACES } }),
    ...(input.warehouse ? warehouseStatements(input.warehouse, arns) : []),
  ];
  return policyDocument(...statements);
}

export interface ProducerPolicyInput {
  readonly streamArn: string;
  readonly kmsKeyArn: string;
  readonly region: string;
}

/** What a producer attaches to write to one stream: records in, and a data key through Kinesis only. */
export function producerPolicy(input: ProducerPolicyInput): PolicyDocument {
  return policyDocument(
    allow("PutRecordsOnThisStream", ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"], [input.streamArn]),
    allow("EncryptThroughKinesisOnly", ["kms:GenerateDataKey"], [input.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `kinesis.${input.region}.amazonaws.com` },
    }),
  );
}
