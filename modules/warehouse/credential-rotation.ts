import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { Construct } from "constructs";
import { join } from "node:path";
import { pythonFunction } from "../../lib/python-function";
import { CredentialRotationProps } from "./credential-rotation-props";
import { rotationFunctionPolicy } from "./rotation-policy";

export const ROTATION_HANDLER_FILE = join(__dirname, "rotation", "rotate_database_user.py");
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
    const { function: fn } = pythonFunction(this, {
      functionName: props.functionName,
      description: "Secrets Manager rotation of the warehouse's database users",
      handlerFile: props.handlerFile ?? ROTATION_HANDLER_FILE,
      roleName: props.roleName,
      roleDescription: "Rotates the warehouse users' secrets: sets each new password on the database",
      policyName: "rotate-database-users",
      permissions: rotationFunctionPolicy({
        accountId: props.accountId,
        region: props.region,
        userSecretNames: props.users.map((u) => u.secretName),
        adminSecretArn: props.adminSecretArn,
        workgroupArn: props.workgroupArn,
        kmsKeyArn: props.kmsKeyArn,
        logGroupName: props.logGroupName,
      }),
      accountId: props.accountId,
      region: props.region,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      kmsKeyArn: props.kmsKeyArn,
      logGroupName: props.logGroupName,
      logRetentionDays: props.logRetentionDays,
      timeoutSeconds: ROTATION_TIMEOUT_SECONDS,
      // One rotation per user can run at once: both first rotations start on the first apply.
      reservedConcurrency: props.users.length,
      environment: { WORKGROUP_NAME: props.workgroupName, DATABASE: props.database, ADMIN_SECRET_ARN: props.adminSecretArn },
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
