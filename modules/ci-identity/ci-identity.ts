import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { CiIdentityProps } from "./ci-identity-props";
import {
  applyRolePolicy,
  GITHUB_OIDC_URL,
  githubTrustPolicy,
  oidcProviderArn,
  planEnvironmentName,
  planRolePolicy,
  STS_AUDIENCE,
  type PolicyDocument,
} from "./policies";

export const DEFAULT_NAME_PREFIX = "data-platform";

/**
 * GitHub Actions' way into one environment's AWS account: the GitHub OIDC provider (optional, one
 * per account) and two roles. The plan role (read-only) is trusted by the `<env>-plan` GitHub
 * environment that pull request plans run in; the apply role by the `<env>` environment that
 * deploys from main, which is where reviewers and branch rules are enforced.
 */
export class CiIdentity extends Construct {
  public readonly planRoleArn: string;
  public readonly applyRoleArn: string;
  public readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, props: CiIdentityProps) {
    super(scope, id);
    validateProps(props);
    const namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const roleName = (purpose: string): string => `${namePrefix}-${props.environment}-ci-${purpose}`;
    const ciRoleArns = ["plan", "apply"].map((purpose) => `arn:aws:iam::${props.accountId}:role/${roleName(purpose)}`);

    this.oidcProviderArn =
      props.createOidcProvider ?? true
        ? new IamOpenidConnectProvider(this, "github-oidc", {
            url: GITHUB_OIDC_URL,
            clientIdList: [STS_AUDIENCE],
            // No thumbprintList: it is optional in provider v5.81+ / v6, and IAM verifies GitHub's
            // certificate through its own trusted CAs for this provider.
          }).arn
        : oidcProviderArn(props.accountId);

    const policyInput = { ...props, namePrefix, ciRoleArns };
    this.planRoleArn = this.role("plan", roleName("plan"), planEnvironmentName(props.environment), planRolePolicy(policyInput), props).arn;
    this.applyRoleArn = this.role("apply", roleName("apply"), props.environment, applyRolePolicy(policyInput), props).arn;
  }

  private role(purpose: string, name: string, githubEnvironment: string, permissions: PolicyDocument, props: CiIdentityProps): IamRole {
    const role = new IamRole(this, `${purpose}-role`, {
      name,
      description: `GitHub Actions ${purpose} for ${props.repository}, environment ${githubEnvironment}`,
      assumeRolePolicy: JSON.stringify(githubTrustPolicy(this.oidcProviderArn, props.repository, githubEnvironment)),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, `${purpose}-policy`, { role: role.name, name: `${name}-permissions`, policy: JSON.stringify(permissions) });
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
    check(props.stateBucketArn, props.stateBucketArn.startsWith("arn:aws:s3:::"), `stateBucketArn must be an S3 bucket ARN, not "${props.stateBucketArn}"`),
    check(props.stateKeyArn, props.stateKeyArn.startsWith("arn:aws:kms:"), `stateKeyArn must be a KMS key ARN, not "${props.stateKeyArn}"`),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new Error(`CiIdentity: ${problems.join("; ")}`);
}
