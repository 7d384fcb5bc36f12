import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Arns } from "./arn";
import { PolicyDocument, PolicyStatement, allow } from "./iam";
import { ServiceRole } from "./service-role";

/**
 * The platform's one kind of Lambda function: one Python file of this repository (its `handler`),
 * shipped as a zip whose hash is in the plan, run by its own role (with the permissions boundary),
 * logging to its own KMS-encrypted group, traced, and with a reserved concurrency.
 *
 * Decisions that hold for every such function (docs/security.md, skipped checkov checks):
 * - no VPC: the functions call only AWS APIs (Secrets Manager, the Redshift Data API) over TLS with
 *   IAM authentication, never a private address; in the VPC they would need interface endpoints for
 *   those services in every environment (dev has none);
 * - no dead-letter queue: their callers (Secrets Manager rotation, Terraform) invoke them
 *   synchronously and see each failure themselves; a Lambda DLQ receives only asynchronous events;
 * - environment variables hold names and ARNs only (no secret: policy rule STATE-SECRETS), encrypted
 *   at rest with Lambda's own key: the platform key would make every reader of the configuration
 *   (the plan role, refreshing) need `kms:Decrypt` through Lambda;
 * - no code signing: the code is built from the reviewed repository at synthesis and its hash is in
 *   the reviewed plan that deploy applies (docs/delivery.md).
 */

export const PYTHON_RUNTIME = "python3.12";

export interface PythonFunctionProps {
  /** Function name (Namer kind `generic`). Required. */
  readonly functionName: string;
  readonly description: string;
  /** The Python file to ship; its `handler(event, context)` is the entry point. Required. */
  readonly handlerFile: string;
  /** Role of the function (Namer kind `iamRole`). Required. */
  readonly roleName: string;
  readonly roleDescription: string;
  /** Name of the role's inline policy. Required. */
  readonly policyName: string;
  /** What the function calls; `functionRuntimeStatements` gives what every function needs besides. Required. */
  readonly permissions: PolicyDocument;
  readonly accountId: string;
  readonly region: string;
  /** The permissions boundary of the role (bootstrap's). Required. */
  readonly permissionsBoundaryArn: string;
  /** Platform key: the function's log group. Required. */
  readonly kmsKeyArn: string;
  /** The function's log group (Namer `logGroup`; it logs there, not to `/aws/lambda/<name>`). Required. */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  /** Seconds (Lambda allows 1-900). Required. */
  readonly timeoutSeconds: number;
  /** Runs at most this many at once. Required. */
  readonly reservedConcurrency: number;
  /** Names and ARNs only, never a secret. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 128 */
  readonly memoryMb?: number;
}

export interface PythonFunctionResources {
  readonly function: LambdaFunction;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
}

/** X-Ray actions of active tracing: AWS offers them on `*` only. */
export const FUNCTION_TRACING_ACTIONS = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"] as const;

/** What every platform function's role needs besides its own work: its log streams and tracing. */
export function functionRuntimeStatements(arns: Arns, logGroupName: string): PolicyStatement[] {
  return [
    allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [arns.logStreams(logGroupName)]),
    allow("Tracing", [...FUNCTION_TRACING_ACTIONS], ["*"]),
  ];
}

/**
 * Creates the function's log group (`logs`), role (`role`), code asset and zip (`handler-asset`,
 * `handler-zip`) and the function (`function`) directly in `scope`, so that callers keep their
 * resource addresses.
 */
export function pythonFunction(scope: Construct, props: PythonFunctionProps): PythonFunctionResources {
  const logGroup = new CloudwatchLogGroup(scope, "logs", { name: props.logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: props.kmsKeyArn });
  const { role, policy } = new ServiceRole(scope, "role", {
    roleName: props.roleName,
    description: props.roleDescription,
    service: "lambda.amazonaws.com",
    accountId: props.accountId,
    region: props.region,
    policyName: props.policyName,
    permissionsBoundaryArn: props.permissionsBoundaryArn,
    permissions: props.permissions,
  });
  const module = basename(props.handlerFile, ".py");
  const sha256 = createHash("sha256").update(readFileSync(props.handlerFile)).digest("hex");
  const asset = new TerraformAsset(scope, "handler-asset", { path: props.handlerFile, type: AssetType.FILE, assetHash: sha256 });
  const archive = new DataArchiveFile(scope, "handler-zip", {
    type: "zip",
    sourceFile: asset.path,
    outputPath: `lambda/${module}-${sha256}.zip`,
    outputFileMode: "0644",
  });
  const fn = new LambdaFunction(scope, "function", {
    functionName: props.functionName,
    description: props.description,
    role: role.arn,
    runtime: PYTHON_RUNTIME,
    handler: `${module}.handler`,
    filename: archive.outputPath,
    sourceCodeHash: archive.outputBase64Sha256,
    timeout: props.timeoutSeconds,
    memorySize: props.memoryMb ?? 128,
    reservedConcurrentExecutions: props.reservedConcurrency,
    ...(props.environment ? { environment: { variables: { ...props.environment } } } : {}),
    loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
    tracingConfig: { mode: "Active" },
    // It may be invoked as soon as it exists: its permissions first.
    dependsOn: [policy],
  });
  return { function: fn, policy, logGroup };
}
