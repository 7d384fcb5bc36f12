import type { ITerraformDependable } from "cdktf";

/** One database user whose secret the function rotates. */
export interface RotatedUser {
  /** Construct id of its rotation, e.g. `etl-writer`. */
  readonly id: string;
  /** Reference to the secret's ARN. */
  readonly secretArn: string;
  /** The secret's name (its ARN ends in a random suffix, so policies name it by pattern). */
  readonly secretName: string;
}

export interface CredentialRotationProps {
  /** Lambda function name (Namer kind `generic`). Required. */
  readonly functionName: string;
  /** The function's log group (Namer `logGroup`; the function logs there, not to `/aws/lambda/<name>`). Required. */
  readonly logGroupName: string;
  /** Role of the function (Namer kind `iamRole`). Required. */
  readonly roleName: string;
  /** Permissions boundary of that role (bootstrap's; see `ServiceRole`). Required. */
  readonly permissionsBoundaryArn: string;
  /** Owning account. Required. */
  readonly accountId: string;
  /** Region. Required. */
  readonly region: string;
  /** Platform key: the function's log group and the secrets. Required. */
  readonly kmsKeyArn: string;
  /** CloudWatch Logs retention of the function's log group. Required. */
  readonly logRetentionDays: number;
  /** Workgroup the function sets passwords through (Data API). Required. */
  readonly workgroupName: string;
  readonly workgroupArn: string;
  /** Database the Data API connects to. Required. */
  readonly database: string;
  /** The namespace's admin secret, managed by Redshift. Required. */
  readonly adminSecretArn: string;
  /** The users whose secrets it rotates. Required. */
  readonly users: readonly RotatedUser[];
  /** Days between rotations (Secrets Manager allows 1-1000). @default 90 */
  readonly rotationDays?: number;
  /** What must exist before the first rotation (the users in the database). @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** The handler to ship. @default `rotation/rotate_database_user.py` beside this module */
  readonly handlerFile?: string;
}
