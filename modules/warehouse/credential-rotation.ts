import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ServiceRole } from "../../lib/service-role";
import { CredentialRotationProps } from "./credential-rotation-props";
import { rotationFunctionPolicy } from "./rotation-policy";

export const ROTATION_HANDLER_FILE = join(__dirname, "rotation", "rotate_database_user.py");
export const ROTATION_RUNTIME = "python3.12";
export const DEFAULT_ROTATION_DAYS = 90;
/** Secrets Manager's limits for `automatically_after_days`. */
export const ROTATION_DAYS_RANGE = { min: 1, max: 1000 } as const;
/** Each step waits for one Data API statement (seconds); Secrets Manager gives a step up to 15 minutes. */
export const ROTATION_TIMEOUT_SECONDS = 300;

/**
 * Secrets Manager rotation of the database users' secrets: Secrets Manager generates each password
 * and the function (rotation/rotate_database_user.py) sets it on the database through the Data API
 * as the namespace's admin. The first rotation runs as soon as rotation is configured, so the
 * passwords come into being on the first apply without ever passing through Terraform.
 */
export class CredentialRotation extends Construct {
  readonly functionArn: string;
  /** Per user id: its secret's rotation, which gives the secret its first value. */
  readonly rotations: Readonly<Record<string, SecretsmanagerSecretRotation>>;

  constructor(scope: Construct, id: string, props: CredentialRotationProps) {
    super(scope, id);
    const days = props.rotationDays ?? DEFAULT_ROTATION_DAYS;
    if (!Number.isInteger(days) || days < ROTATION_DAYS_RANGE.min || days > ROTATION_DAYS_RANGE.max) {
      throw new Error(`CredentialRotation: rotationDays is ${days}; Secrets Manager rotates every ${ROTATION_DAYS_RANGE.min}-${ROTATION_DAYS_RANGE.max} days`);
    }
    const handlerFile = props.handlerFile ?? ROTATION_HANDLER_FILE;
    const logGroupName = props.logGroupName;
    const logGroup = new CloudwatchLogGroup(this, "logs", { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: props.kmsKeyArn });
    const { role, policy } = new ServiceRole(this, "role", {
      roleName: props.roleName,
      description: "Rotates the warehouse users' secrets: sets each new password on the database",
      service: "lambda.amazonaws.com",
      accountId: props.accountId,
      region: props.region,
      policyName: "rotate-database-users",
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      permissions: rotationFunctionPolicy({
        accountId: props.accountId,
        region: props.region,
        userSecretNames: props.users.map((u) => u.secretName),
        adminSecretArn: props.adminSecretArn,
        workgroupArn: props.workgroupArn,
        kmsKeyArn: props.kmsKeyArn,
        logGroupName,
      }),
    });

    const sha256 = createHash("sha256").update(readFileSync(handlerFile)).digest("hex");
    const asset = new TerraformAsset(this, "handler-asset", { path: handlerFile, type: AssetType.FILE, assetHash: sha256 });
    const archive = new DataArchiveFile(this, "handler-zip", {
      type: "zip",
      sourceFile: asset.path,
      outputPath: `warehouse-rotation/${basename(handlerFile, ".py")}-${sha256}.zip`,
      outputFileMode: "0644",
    });
    const fn = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: "Secrets Manager rotation of the warehouse's database users",
      role: role.arn,
      runtime: ROTATION_RUNTIME,
      handler: `${basename(handlerFile, ".py")}.handler`,
      filename: archive.outputPath,
      sourceCodeHash: archive.outputBase64Sha256,
      timeout: ROTATION_TIMEOUT_SECONDS,
      memorySize: 128,
      // One rotation per user can run at once: both first rotations start on the first apply.
      reservedConcurrentExecutions: props.users.length,
      kmsKeyArn: props.kmsKeyArn,
      environment: { variables: { WORKGROUP_NAME: props.workgroupName, DATABASE: props.database, ADMIN_SECRET_ARN: props.adminSecretArn } },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      tracingConfig: { mode: "Active" },
      dependsOn: [policy],
    });
    this.functionArn = fn.arn;
    const permission = new LambdaPermission(this, "secrets-manager-invokes", {
      statementId: "SecretsManagerRotation",
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "secretsmanager.amazonaws.com",
      sourceAccount: props.accountId,
    });
    this.rotations = Object.fromEntries(
      props.users.map((user) => [
        user.id,
        new SecretsmanagerSecretRotation(this, `${user.id}-rotation`, {
          secretId: user.secretArn,
          rotationLambdaArn: fn.arn,
          rotationRules: { automaticallyAfterDays: days },
          rotateImmediately: true,
          dependsOn: [permission, ...(props.dependsOn ?? [])],
        }),
      ]),
    );
  }
}
