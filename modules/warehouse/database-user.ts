import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import { DatabaseUserProps } from "./database-user-props";

/** The secret tag that names the database user (the rotation function reads it). */
export const DATABASE_USER_TAG = "DatabaseUser";

/**
 * A database user's secret, encrypted with the platform key. Terraform writes no value: the
 * secret's first rotation (CredentialRotation) generates the password with Secrets Manager, sets
 * it on the database and stores `{"username","password"}`, the shape Glue's `SECRET_ID` and
 * QuickSight's `SecretArn` both read. The user itself is created without a password by the
 * warehouse's foundation migration.
 */
export class DatabaseUser extends Construct {
  readonly username: string;
  readonly secret: SecretsmanagerSecret;
  /** Reference to the secret's ARN. */
  readonly secretArn: string;
  /** The secret's name as chosen (literal, for policies that name it by pattern). */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: DatabaseUserProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, "secret", {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyArn,
      tags: { [DATABASE_USER_TAG]: props.username },
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.username = props.username;
    this.secretArn = this.secret.arn;
    this.secretName = props.secretName;
  }
}
