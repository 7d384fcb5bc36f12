export interface DatabaseUserProps {
  /** Redshift user name. Required. */
  readonly username: string;
  /** Secrets Manager secret name (Namer kind `secret`). Required. */
  readonly secretName: string;
  /** What the user is for; becomes the secret's description. Required. */
  readonly description: string;
  /** Platform key: encrypts the secret. Required. */
  readonly kmsKeyArn: string;
  /** Terraform `prevent_destroy` on the secret. @default true */
  readonly preventDestroy?: boolean;
}
