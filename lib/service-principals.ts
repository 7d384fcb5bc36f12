/**
 * What each AWS service that assumes a platform role puts in the request context of its
 * `sts:AssumeRole` call, as far as its documentation says.
 *
 * IAM adds `aws:SourceAccount` (and `aws:SourceArn`) to a request only when the calling service
 * sends it ("only available when the call to your resource is made directly by an AWS service
 * principal", IAM global condition keys), and a positive condition on a key the request lacks is
 * false. A trust policy requiring `aws:SourceAccount` from a service that does not send it can never
 * be assumed: the first QuickSight data source, every Glue job run, every rotation would fail.
 * Where a service documents the key, the trust requires it (the confused-deputy guard costs nothing);
 * where it does not, the trust uses the IfExists form IAM documents for keys "available only in some
 * circumstances": checked when sent, harmless when not. Cross-account use of these roles stays
 * impossible either way: a service assumes a role for a resource only when a principal of the role's
 * own account passed it (iam:PassRole does not cross accounts), and the apply role passes them only
 * to the service named in `iam:PassedToService`.
 */
export interface ServiceSourceContext {
  /** Whether the service documents sending `aws:SourceAccount` when it assumes a customer role. */
  readonly sendsSourceAccount: boolean;
  /** Where that is documented (or what the service's own role setup shows instead). */
  readonly evidence: string;
}

export const SERVICE_SOURCE_CONTEXT: Readonly<Record<string, ServiceSourceContext>> = {
  "states.amazonaws.com": {
    sendsSourceAccount: true,
    evidence: "Step Functions, Creating an IAM role for your state machine: 'Prevent cross-service confused deputy issue' (trust with aws:SourceAccount and aws:SourceArn)",
  },
  "events.amazonaws.com": {
    sendsSourceAccount: true,
    evidence: "EventBridge, Cross-service confused deputy prevention: for event bus rule targets aws:SourceArn is the rule's ARN (role trust example with aws:SourceAccount)",
  },
  "scheduler.amazonaws.com": {
    sendsSourceAccount: true,
    evidence: "EventBridge Scheduler, Confused deputy prevention: aws:SourceAccount / aws:SourceArn in the schedule execution role's trust",
  },
  "vpc-flow-logs.amazonaws.com": {
    sendsSourceAccount: true,
    evidence: "VPC, IAM role for publishing flow logs to CloudWatch Logs: 'use the aws:SourceAccount and aws:SourceArn condition keys' in the trust",
  },
  "glue.amazonaws.com": {
    sendsSourceAccount: false,
    evidence:
      "Glue's role setup (Create an IAM role for AWS Glue) trusts glue.amazonaws.com with no condition and no Glue page documents source keys on AssumeRole; reported missing in practice (prowler-cloud/prowler#2810)",
  },
  "lambda.amazonaws.com": {
    sendsSourceAccount: false,
    evidence:
      "Lambda execution role: trust of lambda.amazonaws.com with no condition; Lambda documents aws:SourceAccount only for resource-based policies (AddPermission); reported missing in practice (prowler-cloud/prowler#2810)",
  },
  "quicksight.amazonaws.com": {
    sendsSourceAccount: false,
    evidence: "QuickSight, Passing IAM roles to QuickSight and the VPC connection role: trust of quicksight.amazonaws.com with no condition; no confused-deputy page",
  },
  "redshift.amazonaws.com": {
    sendsSourceAccount: false,
    evidence: "Redshift, Granting permissions to Redshift Serverless: the role trusts redshift.amazonaws.com and redshift-serverless.amazonaws.com, with no condition",
  },
  "redshift-serverless.amazonaws.com": {
    sendsSourceAccount: false,
    evidence: "Redshift, Granting permissions to Redshift Serverless: the role trusts redshift.amazonaws.com and redshift-serverless.amazonaws.com, with no condition",
  },
};

/** The source-account condition operator a trust of these services uses (see above). */
export function sourceAccountOperator(services: readonly string[]): "StringEquals" | "StringEqualsIfExists" {
  const unknown = services.filter((s) => !SERVICE_SOURCE_CONTEXT[s]);
  if (unknown.length) {
    throw new Error(`${unknown.join(", ")}: say in SERVICE_SOURCE_CONTEXT (lib/service-principals.ts) whether the service documents sending aws:SourceAccount`);
  }
  return services.every((s) => SERVICE_SOURCE_CONTEXT[s].sendsSourceAccount) ? "StringEquals" : "StringEqualsIfExists";
}
