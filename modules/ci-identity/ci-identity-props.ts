/** Inputs of the CI identity of one environment: who may deploy, what, and where Terraform keeps state. */
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

  /** AWS account id (12 digits) the roles and the platform live in. Required; no default. */
  readonly accountId: string;

  /** Region of the platform's resources (their ARNs). Required; no default. */
  readonly region: string;

  /**
   * Whether to create the GitHub OIDC provider. An account can hold only one provider per URL, so
   * when several environments share an account exactly one of them creates it; the others pass
   * `false` and the provider's ARN is derived from the account id.
   * Default: `true`.
   */
  readonly createOidcProvider?: boolean;

  /** ARN of the S3 bucket that holds Terraform state. Required; no default. */
  readonly stateBucketArn: string;

  /**
   * Keys (patterns allowed) of the environment's state objects in that bucket: the core stack's and
   * the pipeline stacks' (each with its `.tflock` lock file beside it). The roles reach no other
   * object of the bucket. Required; at least one.
   */
  readonly stateObjectKeys: readonly string[];

  /** ARN of the KMS key that encrypts the state bucket. Required; no default. */
  readonly stateKeyArn: string;

  /** Region of the state bucket. Default: `region`. */
  readonly stateRegion?: string;

  /**
   * Prefix of every name the platform creates. The environment's names start with
   * `<namePrefix>-<environment>-` (`<namePrefix>_<environment>_` in snake case): roles become
   * `<namePrefix>-<environment>-ci-plan` and `...-ci-apply`, and every permission of both roles is
   * scoped to those names. Default: `"dp"`.
   */
  readonly namePrefix?: string;

  /**
   * Name of the permissions boundary policy the module creates (see `Namer.permissionsBoundaryName`;
   * the platform stack computes its ARN from the same name). It must start with the environment's
   * prefix. Required; no default.
   */
  readonly permissionsBoundaryName: string;

  /**
   * The provider's default tags that identify the environment (e.g. `environment`, `project`):
   * resources whose ARNs carry generated ids are scoped by them. Required; at least one.
   */
  readonly scopeTags: Readonly<Record<string, string>>;

  /**
   * ARNs (patterns allowed) of the S3 objects Terraform uploads and reads back: the only objects of
   * the environment either role may read. Default: none.
   */
  readonly managedObjectArns?: readonly string[];

  /**
   * ARNs (patterns allowed) of the secrets whose values the apply role must read: secret versions
   * Terraform refreshes, and the secrets Redshift Data API statements run as. Default: none.
   */
  readonly terraformSecretArns?: readonly string[];

  /**
   * ARNs of resources of the bootstrap stack whose names carry the environment's prefix (the state
   * access-log bucket, the state key's alias): the apply role may not touch them. Default: none.
   */
  readonly bootstrapArns?: readonly string[];
}
