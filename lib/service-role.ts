import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { PolicyDocument, policyJson, serviceTrustPolicy } from "./iam";

export interface ServiceRoleInput {
  readonly name: string;
  readonly description: string;
  /** The one service principal that assumes the role, e.g. `redshift.amazonaws.com`. */
  readonly service: string;
  readonly accountId: string;
  /** Name of the inline policy. */
  readonly policyName: string;
  readonly policy: PolicyDocument;
}

/** A role only one AWS service of this account may assume, with one inline least-privilege policy. */
export function serviceRole(scope: Construct, id: string, input: ServiceRoleInput): IamRole {
  const role = new IamRole(scope, id, {
    name: input.name,
    description: input.description,
    assumeRolePolicy: policyJson(serviceTrustPolicy(input.service, input.accountId)),
  });
  new IamRolePolicy(scope, `${id}-policy`, { name: input.policyName, role: role.id, policy: policyJson(input.policy) });
  return role;
}
