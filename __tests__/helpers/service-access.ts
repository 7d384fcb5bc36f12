import { SERVICE_SOURCE_CONTEXT } from "../../lib/service-principals";
import type { TerraformJson } from "../../policies";
import { rolePolicies, simulate, withStandIns } from "./iam";
import { resolveReferences } from "./references";

/**
 * What AWS services do with the platform's roles at run time, as their documentation says, simulated
 * on a synthesized stack (IAM policies with @cloud-copilot/iam-simulate):
 *
 * - every service a role trusts can assume it with the request context the service sends
 *   (`aws:SourceAccount` only where documented, lib/service-principals.ts), and where the service
 *   sends a source account, a request for another account is refused;
 * - every crawler can locate, list and read its S3 targets (the crawler first asks for the bucket's
 *   Region: s3:GetBucketLocation);
 * - every Glue job with a VPC connection can run the network checks Glue makes before placing its
 *   interfaces, ec2:DescribeVpcAttribute on the VPC (DNS support/hostnames) included.
 *
 * Each function returns the problems found, so tests can show them on stacks broken on purpose.
 */

type Config = Record<string, any>;
type Policy = { Version?: string; Statement: unknown[] | unknown };

/** An account that is not the stack's: the confused deputy's. */
export const FOREIGN_ACCOUNT = "999999999999";

function providerContext(json: TerraformJson): { region: string; account: string } {
  const provider = (json.provider?.aws ?? [])[0] as { region?: string; allowed_account_ids?: string[] } | undefined;
  return { region: provider?.region ?? "eu-west-1", account: provider?.allowed_account_ids?.[0] ?? "111122223333" };
}

const resourcesOf = (json: TerraformJson, type: string): [string, Config][] => Object.entries(json.resource?.[type] ?? {}) as [string, Config][];

/** The resource name of the role a `${aws_iam_role.<name>.arn}` (or `.name`) reference points at. */
function referencedRole(value: unknown): string | undefined {
  return /\$\{aws_iam_role\.([A-Za-z0-9_-]+)\.(arn|name)\}/.exec(String(value))?.[1];
}

const servicesOf = (statement: Config): string[] => (statement.Principal?.Service === undefined ? [] : [statement.Principal.Service].flat());

/** Roles the services they trust cannot assume, or that a service acting for another account can. */
export async function assumeProblems(json: TerraformJson): Promise<string[]> {
  const { account } = providerContext(json);
  const problems: string[] = [];
  for (const [, role] of resourcesOf(json, "aws_iam_role")) {
    const trust = JSON.parse(withStandIns(String(role.assume_role_policy), [], json)) as { Statement: Config[] };
    const roleArn = `arn:aws:iam::${account}:role/${resolveReferences(String(role.name), json)}`;
    const services = [...new Set(trust.Statement.filter((s) => s.Effect === "Allow").flatMap(servicesOf))];
    for (const service of services) {
      const known = SERVICE_SOURCE_CONTEXT[service];
      if (!known) {
        problems.push(`${role.name}: trusts ${service}, whose request context lib/service-principals.ts does not record`);
        continue;
      }
      const assume = (context: Record<string, string>) =>
        simulate([], "sts:AssumeRole", roleArn, { accountId: account, principal: service, resourcePolicy: trust as Policy, context });
      const own: Record<string, string> = known.sendsSourceAccount ? { "aws:SourceAccount": account } : {};
      if ((await assume(own)) !== "Allowed") problems.push(`${role.name}: ${service} cannot assume it with the context it sends (${JSON.stringify(own)})`);
      if (known.sendsSourceAccount && (await assume({ "aws:SourceAccount": FOREIGN_ACCOUNT })) === "Allowed") {
        problems.push(`${role.name}: ${service} acting for account ${FOREIGN_ACCOUNT} can assume it (no confused-deputy condition)`);
      }
    }
  }
  return problems;
}

/** Crawlers whose role cannot locate, list or read their S3 targets. */
export async function crawlerTargetProblems(json: TerraformJson): Promise<string[]> {
  const { account } = providerContext(json);
  const problems: string[] = [];
  for (const [, crawler] of resourcesOf(json, "aws_glue_crawler")) {
    const roleName = referencedRole(crawler.role);
    if (!roleName) {
      problems.push(`${crawler.name}: role ${crawler.role} is not a reference to a role of the stack`);
      continue;
    }
    const policies = rolePolicies(json, roleName);
    for (const target of crawler.s3_target ?? []) {
      const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(resolveReferences(String(target.path), json));
      if (!match) {
        problems.push(`${crawler.name}: S3 target ${target.path} does not resolve to s3://bucket/prefix`);
        continue;
      }
      const [, bucket, prefix] = match;
      const checks: [string, string, Record<string, string>][] = [
        ["s3:GetBucketLocation", `arn:aws:s3:::${bucket}`, {}],
        ["s3:ListBucket", `arn:aws:s3:::${bucket}`, { "s3:prefix": prefix }],
        ["s3:GetObject", `arn:aws:s3:::${bucket}/${prefix}part-00000.parquet`, {}],
      ];
      for (const [action, resource, context] of checks) {
        if ((await simulate(policies, action, resource, { accountId: account, context })) !== "Allowed") problems.push(`${crawler.name}: its role is refused ${action} on ${resource}`);
      }
    }
  }
  return problems;
}

/** The describe calls Glue makes for a job in a VPC connection, on `*` (EC2 cannot scope them). */
export const GLUE_VPC_DESCRIBES = [
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeVpcs",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeRouteTables",
  "ec2:DescribeNetworkInterfaces",
];

/** Glue jobs in a VPC connection whose role cannot make the checks Glue makes on the connection's network. */
export async function glueVpcJobProblems(json: TerraformJson): Promise<string[]> {
  const { account, region } = providerContext(json);
  const problems: string[] = [];
  const connections = resourcesOf(json, "aws_glue_connection");
  for (const [, job] of resourcesOf(json, "aws_glue_job")) {
    // By reference (in the connection's stack) or by its literal name (a pipeline stack's jobs use the core's).
    const inVpc = (job.connections ?? []).some((c: string) => {
      const key = /\$\{aws_glue_connection\.([A-Za-z0-9_-]+)\./.exec(c)?.[1];
      const connection = connections.find(([name, config]) => name === key || config.name === c)?.[1];
      return connection?.physical_connection_requirements?.subnet_id !== undefined;
    });
    if (!inVpc) continue;
    const roleName = referencedRole(job.role_arn);
    if (!roleName) {
      problems.push(`${job.name}: role ${job.role_arn} is not a reference to a role of the stack`);
      continue;
    }
    const policies = rolePolicies(json, roleName);
    const vpcArn = `arn:aws:ec2:${region}:${account}:vpc/vpc-0123456789abcdef0`;
    const checks: [string, string][] = [["ec2:DescribeVpcAttribute", vpcArn], ...GLUE_VPC_DESCRIBES.map((a): [string, string] => [a, "*"])];
    for (const [action, resource] of checks) {
      if ((await simulate(policies, action, resource, { accountId: account })) !== "Allowed") problems.push(`${job.name}: its role is refused ${action} on ${resource}`);
    }
  }
  return problems;
}
