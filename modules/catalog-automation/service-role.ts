import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { PolicyDocument, policyJson, serviceTrustPolicy } from "../../lib/iam";

export interface ServiceRoleProps {
  readonly roleName: string;
  /** The one service principal that assumes it, e.g. `states.amazonaws.com`. */
  readonly service: string;
  readonly accountId: string;
  readonly region: string;
  readonly description: string;
  readonly permissions: PolicyDocument;
}

/** A role one AWS service assumes for this account only, with one inline least-privilege policy. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  /** Computed from the name: policies and targets referencing it stay literal. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.roleArn = new Arns(props.accountId, props.region).iamRole(props.roleName);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: policyJson(serviceTrustPolicy(props.service, props.accountId)),
    });
    this.policy = new IamRolePolicy(this, "policy", { role: this.role.name, name: `${props.roleName}-permissions`, policy: policyJson(props.permissions) });
  }
}
