import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { Arns } from "./arn";
import { PolicyDocument, policyJson, serviceTrustPolicy } from "./iam";

export interface ServiceRoleProps {
  /** Role name (see `Namer`). Required. */
  readonly roleName: string;
  /**
   * The service principal that assumes it, e.g. `states.amazonaws.com`; a list only where one service
   * documents assuming the role under two principals (Redshift Serverless). Required.
   */
  readonly service: string | readonly string[];
  /** Account whose resources the service acts on: its `aws:SourceAccount` (see `lib/service-principals.ts`). Required. */
  readonly accountId: string;
  /** Region of the account (for the computed ARN's partition-free form, IAM is global). Required. */
  readonly region: string;
  /** Why the role exists, shown in the IAM console. Required. */
  readonly description: string;
  /** The role's only permissions: one inline, least-privilege policy. Required. */
  readonly permissions: PolicyDocument;
  /**
   * ARN of the permissions boundary the role carries (bootstrap's, see `Namer.permissionsBoundaryName`):
   * the CI apply role may create roles only with it. Required.
   */
  readonly permissionsBoundaryArn: string;
  /** Name of that inline policy. @default `<roleName>-permissions` */
  readonly policyName?: string;
}

/**
 * The platform's one kind of role: exactly one AWS service may assume it, on behalf of this account
 * (as far as the service tells, see `lib/service-principals.ts`), it carries one inline
 * least-privilege policy (never an AWS-managed one), and the environment's permissions boundary
 * caps whatever that policy says.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  /** Computed from the name: policies and targets referencing it stay literal. */
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.roleName = props.roleName;
    this.roleArn = new Arns(props.accountId, props.region).iamRole(props.roleName);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: policyJson(serviceTrustPolicy(props.service, props.accountId)),
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    this.policy = new IamRolePolicy(this, "policy", {
      role: this.role.name,
      name: props.policyName ?? `${props.roleName}-permissions`,
      policy: policyJson(props.permissions),
    });
  }
}
