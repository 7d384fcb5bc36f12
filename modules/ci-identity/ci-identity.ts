import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { CiIdentityProps } from "./ci-identity-props";
import type { PlatformScope } from "./platform-scope";
import {
  applyRolePolicies,
  GITHUB_OIDC_URL,
  githubTrustPolicy,
  oidcProviderArn,
  permissionsBoundaryPolicy,
  planEnvironmentName,
  planRolePolicies,
  STS_AUDIENCE,
  type PolicyParts,
  type RolePolicyInput,
} from "./policies";

export const DEFAULT_NAME_PREFIX = "dp";

/** Purposes of the CI roles; the role of purpose `p` is `<prefix>-<env>-ci-<p>`. */
export const CI_ROLE_PURPOSES = ["plan", "apply"] as const;

/** Parts of each CI role's permissions; part `x` of role `r` is the managed policy `<r>-x`. */
const POLICY_PARTS: Readonly<Record<(typeof CI_ROLE_PURPOSES)[number], readonly string[]>> = {
  plan: ["reads", "state-guardrails"],
  apply: ["by-name", "by-tag", "iam-state", "guardrails"],
};

/**
 * GitHub Actions' way into one environment's AWS account: the GitHub OIDC provider (optional, one
 * per account), two roles, and the permissions boundary of every role the platform creates. The plan
 * role (read-only, no secret value) is trusted by the `<env>-plan` GitHub environment that pull
 * request plans run in; the apply role by the `<env>` environment that deploys from main, which is
 * where reviewers and branch rules are enforced. Terraform runs with these roles' credentials
 * directly: there is no further role to assume (docs/security.md, "Deployment identity").
 */
export class CiIdentity extends Construct {
  public readonly planRoleArn: string;
  public readonly applyRoleArn: string;
  public readonly oidcProviderArn: string;
  /** The boundary the platform stack puts on every role (it computes the same ARN from the name). */
  public readonly permissionsBoundaryArn: string;
  public readonly permissionsBoundaryName: string;

  constructor(scope: Construct, id: string, props: CiIdentityProps) {
    super(scope, id);
    validateProps(props);
    const namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const platform: PlatformScope = {
      partition: "aws",
      accountId: props.accountId,
      region: props.region,
      prefix: `${namePrefix}-${props.environment}`,
      snakePrefix: `${namePrefix}_${props.environment}`,
      tags: props.scopeTags,
    };
    const roleName = (purpose: string): string => `${platform.prefix}-ci-${purpose}`;

    this.oidcProviderArn =
      props.createOidcProvider ?? true
        ? new IamOpenidConnectProvider(this, "github-oidc", {
            url: GITHUB_OIDC_URL,
            clientIdList: [STS_AUDIENCE],
            // No thumbprintList: it is optional in provider v5.81+ / v6, and IAM verifies GitHub's
            // certificate through its own trusted CAs for this provider.
          }).arn
        : oidcProviderArn(props.accountId);

    this.permissionsBoundaryName = props.permissionsBoundaryName;
    const boundary = new IamPolicy(this, "permissions-boundary", {
      name: this.permissionsBoundaryName,
      description: `The most any role of ${platform.prefix} may do; the CI apply role can create roles only with it`,
      policy: JSON.stringify(permissionsBoundaryPolicy(platform)),
    });
    this.permissionsBoundaryArn = boundary.arn;

    const iamArn = (kind: "role" | "policy", name: string) => `arn:aws:iam::${props.accountId}:${kind}/${name}`;
    const policyInput: RolePolicyInput = {
      scope: platform,
      stateBucketArn: props.stateBucketArn,
      stateObjectKeys: props.stateObjectKeys,
      stateKeyArn: props.stateKeyArn,
      stateRegion: props.stateRegion ?? props.region,
      // Literal ARNs, not references: the documents name these before they exist.
      ciRoleArns: CI_ROLE_PURPOSES.map((purpose) => iamArn("role", roleName(purpose))),
      ciPolicyArns: CI_ROLE_PURPOSES.flatMap((purpose) => POLICY_PARTS[purpose].map((part) => iamArn("policy", `${roleName(purpose)}-${part}`))),
      permissionsBoundaryArn: iamArn("policy", this.permissionsBoundaryName),
      managedObjectArns: props.managedObjectArns ?? [],
      terraformSecretArns: props.terraformSecretArns ?? [],
      bootstrapArns: props.bootstrapArns ?? [],
    };
    this.planRoleArn = this.role("plan", roleName("plan"), planEnvironmentName(props.environment), planRolePolicies(policyInput), props).arn;
    this.applyRoleArn = this.role("apply", roleName("apply"), props.environment, applyRolePolicies(policyInput), props).arn;
  }

  private role(purpose: (typeof CI_ROLE_PURPOSES)[number], name: string, githubEnvironment: string, parts: PolicyParts, props: CiIdentityProps): IamRole {
    const role = new IamRole(this, `${purpose}-role`, {
      name,
      description: `GitHub Actions ${purpose} for ${props.repository}, environment ${githubEnvironment}`,
      assumeRolePolicy: JSON.stringify(githubTrustPolicy(this.oidcProviderArn, props.repository, githubEnvironment)),
      maxSessionDuration: 3600,
    });
    if (Object.keys(parts).join() !== POLICY_PARTS[purpose].join()) throw new Error(`CiIdentity: ${purpose} policy parts changed; update POLICY_PARTS`);
    for (const [part, document] of Object.entries(parts)) {
      const policy = new IamPolicy(this, `${purpose}-${part}`, {
        name: `${name}-${part}`,
        description: `GitHub Actions ${purpose} for ${props.environment}: ${part}`,
        policy: JSON.stringify(document),
      });
      new IamRolePolicyAttachment(this, `${purpose}-${part}-attachment`, { role: role.name, policyArn: policy.arn });
    }
    return role;
  }
}

/** Fails synth early on values that would make a trust policy match nothing (or too much). */
export function validateProps(props: CiIdentityProps): void {
  // Values only known at apply time (references to the bootstrap stack's bucket and key) pass.
  const check = (value: string, ok: boolean, problem: string): string | undefined =>
    Token.isUnresolved(value) || ok ? undefined : problem;
  const problems = [
    check(props.repository, /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(props.repository), `repository must be "owner/name", not "${props.repository}"`),
    check(props.environment, /^[a-z0-9-]+$/.test(props.environment), `environment must be lowercase letters, digits or '-', not "${props.environment}"`),
    check(props.accountId, /^\d{12}$/.test(props.accountId), `accountId must be 12 digits, not "${props.accountId}"`),
    check(props.region, /^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region), `region must be an AWS region like eu-west-1, not "${props.region}"`),
    check(props.stateBucketArn, props.stateBucketArn.startsWith("arn:aws:s3:::"), `stateBucketArn must be an S3 bucket ARN, not "${props.stateBucketArn}"`),
    check(props.stateKeyArn, props.stateKeyArn.startsWith("arn:aws:kms:"), `stateKeyArn must be a KMS key ARN, not "${props.stateKeyArn}"`),
    check(
      props.stateObjectKeys.join(","),
      props.stateObjectKeys.length > 0 && props.stateObjectKeys.every((key) => key.endsWith(".tfstate") && !key.startsWith("/")),
      `stateObjectKeys must be object keys ending in .tfstate (patterns allowed), not ${JSON.stringify(props.stateObjectKeys)}`,
    ),
    Object.keys(props.scopeTags).length > 0 ? undefined : "scopeTags must name at least one tag: without it, resources with generated ids could not be scoped",
    props.permissionsBoundaryName.startsWith(`${props.namePrefix ?? DEFAULT_NAME_PREFIX}-${props.environment}-`)
      ? undefined
      : `permissionsBoundaryName must start with "${props.namePrefix ?? DEFAULT_NAME_PREFIX}-${props.environment}-" (the apply role's IAM scope), not "${props.permissionsBoundaryName}"`,
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new Error(`CiIdentity: ${problems.join("; ")}`);
}
