/** Who may assume the quarantine operator role, and how (an environment's `operators.quarantine`). */
export interface QuarantineOperatorProps {
  /** Role name (see `Namer`). Required. */
  readonly roleName: string;
  /**
   * ARN patterns of the IAM principals of this account that may assume it (`aws:PrincipalArn`),
   * e.g. an IAM Identity Center permission set's role. Required, at least one.
   */
  readonly principalArnPatterns: readonly string[];
  /**
   * Require MFA in the assuming session (`aws:MultiFactorAuthPresent`). Identity Center sessions do
   * not carry that key (their sign-in enforces MFA): false only for such principals. @default true
   */
  readonly requireMfa?: boolean;
  /** Longest session, in seconds (3600-43200). @default 3600 */
  readonly maxSessionSeconds?: number;
  /** Permissions boundary of the role (bootstrap's). Required. */
  readonly permissionsBoundaryArn: string;
}

/** What the lake adds: where the role reads and writes. */
export interface QuarantineOperatorResources {
  readonly accountId: string;
  readonly region: string;
  /** The platform key (S3 objects are encrypted with it). */
  readonly kmsKeyArn: string;
  readonly quarantineBucketName: string;
  readonly rawBucketName: string;
  /** The restricted payload prefix of the quarantine bucket. */
  readonly payloadPrefix: string;
  /** Under each pipeline's raw prefix, where corrected payloads are replayed from. */
  readonly replayPrefix: string;
}
