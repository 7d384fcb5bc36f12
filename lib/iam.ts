import { sourceAccountOperator } from "./service-principals";

/**
 * IAM policy documents as plain data. Policies are built by small pure functions from these types
 * and serialised once, so that tests can read, validate and simulate exactly what is deployed.
 */

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource?: readonly string[];
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export function allow(sid: string, actions: readonly string[], resources: readonly string[], condition?: ConditionBlock): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: [...actions].sort(), Resource: resources, ...(condition ? { Condition: condition } : {}) };
}

/** Serialised for Terraform; tokens inside strings are resolved by cdktf at synthesis. */
export function policyJson(document: PolicyDocument): string {
  return JSON.stringify(document);
}

/**
 * A trust policy letting one AWS service (or the documented pair of principals of one service) assume
 * a role on behalf of this account: `aws:SourceAccount` is required where the service documents
 * sending it, and checked if present otherwise (`lib/service-principals.ts` says which and why).
 */
export function serviceTrustPolicy(service: string | readonly string[], accountId: string): PolicyDocument {
  const services = typeof service === "string" ? [service] : [...service];
  return policyDocument({
    Sid: "TrustedService",
    Effect: "Allow",
    Principal: { Service: services.length === 1 ? services[0] : services },
    Action: ["sts:AssumeRole"],
    Condition: { [sourceAccountOperator(services)]: { "aws:SourceAccount": accountId } },
  });
}
