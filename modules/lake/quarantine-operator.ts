import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument, policyJson } from "../../lib/iam";
import { QuarantineOperatorProps, QuarantineOperatorResources } from "./quarantine-operator-props";

export const DEFAULT_OPERATOR_SESSION_SECONDS = 3600;

/**
 * Trust of a role people assume: principals of this account whose ARN matches a pattern (by
 * condition, so a pattern may name an Identity Center role whose name carries a random suffix, and
 * a principal that does not exist yet is no deploy error), with MFA unless their sign-in enforces it.
 */
export function operatorTrustPolicy(accountId: string, principalArnPatterns: readonly string[], requireMfa: boolean): PolicyDocument {
  return policyDocument({
    Sid: "QuarantineOperators",
    Effect: "Allow",
    Principal: { AWS: new Arns(accountId, "").accountRoot() },
    Action: ["sts:AssumeRole"],
    Condition: {
      ArnLike: { "aws:PrincipalArn": principalArnPatterns },
      ...(requireMfa ? { Bool: { "aws:MultiFactorAuthPresent": "true" } } : {}),
    },
  });
}

/** Read the quarantine (both zones) and put corrected payloads where the batch job replays them; nothing else. */
export function operatorPolicy(r: QuarantineOperatorResources): PolicyDocument {
  const arns = new Arns(r.accountId, r.region);
  return policyDocument(
    allow("ReadQuarantine", ["s3:GetObject"], [arns.s3Objects(r.quarantineBucketName)]),
    allow("ListQuarantine", ["s3:ListBucket"], [arns.s3Bucket(r.quarantineBucketName)]),
    allow("PutReplays", ["s3:PutObject"], [arns.s3Objects(r.rawBucketName, `*/${r.replayPrefix}`)]),
    allow("ListReplays", ["s3:ListBucket"], [arns.s3Bucket(r.rawBucketName)], { StringLike: { "s3:prefix": [`*/${r.replayPrefix}*`] } }),
    allow("UsePlatformKeyThroughS3", ["kms:Decrypt", "kms:GenerateDataKey"], [r.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `s3.${r.region}.amazonaws.com` },
    }),
  );
}

/**
 * The role an operator assumes to read quarantined records (the raw payloads included, which the
 * quarantine bucket's policy denies to everyone else) and to replay corrected ones through the raw
 * zone (docs/security.md, "Quarantine and replay").
 */
export class QuarantineOperator extends Construct {
  readonly role: IamRole;
  readonly roleName: string;
  /** Computed from the name: the quarantine bucket's policy names it before the role exists. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: QuarantineOperatorProps & QuarantineOperatorResources) {
    super(scope, id);
    if (props.principalArnPatterns.length === 0) throw new Error("QuarantineOperator: principalArnPatterns needs at least one ARN pattern");
    this.roleName = props.roleName;
    this.roleArn = new Arns(props.accountId, props.region).iamRole(props.roleName);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: "Reads quarantined records and payloads; replays corrected payloads through the raw zone",
      assumeRolePolicy: policyJson(operatorTrustPolicy(props.accountId, props.principalArnPatterns, props.requireMfa ?? true)),
      maxSessionDuration: props.maxSessionSeconds ?? DEFAULT_OPERATOR_SESSION_SECONDS,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    new IamRolePolicy(this, "policy", { role: this.role.name, name: `${props.roleName}-permissions`, policy: policyJson(operatorPolicy(props)) });
  }
}
