/** Inputs of the CI identity of one environment: who may deploy, and where Terraform keeps state. */
export interface CiIdentityProps {
  /**
   * GitHub repository allowed to assume the roles, as "owner/name" (case as GitHub spells it).
   * Required; no default.
   */
  readonly repository: string;

  /**
   * Platform environment the roles belong to (`dev`, `stage`, `prod`). The apply role trusts the
   * GitHub environment of this name, the plan role the GitHub environment `<environment>-plan`.
   * Required; no default.
   */
  readonly environment: string;

  /** AWS account id (12 digits) the roles live in. Required; no default. */
  readonly accountId: string;

  /**
   * Whether to create the GitHub OIDC provider. An account can hold only one provider per URL, so
   * when several environments share an account exactly one of them creates it; the others pass
   * `false` and the provider's ARN is derived from the account id.
   * Default: `true`.
   */
  readonly createOidcProvider?: boolean;

  /** ARN of the S3 bucket that holds Terraform state. Required; no default. */
  readonly stateBucketArn: string;

  /** ARN of the KMS key that encrypts the state bucket. Required; no default. */
  readonly stateKeyArn: string;

  /**
   * Prefix of every name the platform creates. Role names become `<namePrefix>-<environment>-ci-plan`
   * and `...-ci-apply`; the apply role may manage IAM roles and policies only under
   * `<namePrefix>-*`, and the plan role may read S3 objects only in buckets named `<namePrefix>-*`.
   * Default: `"data-platform"`.
   */
  readonly namePrefix?: string;
}
