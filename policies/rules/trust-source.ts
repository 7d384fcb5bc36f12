import { SERVICE_SOURCE_CONTEXT } from "../../lib/service-principals";
import { NormalisedStatement, documentsOf } from "../policy-documents";
import { PolicyRule } from "../types";

/** Condition keys only a calling service puts in the request context. */
const SOURCE_KEYS = /^aws:source(account|arn|orgid|orgpaths)$/i;

const servicesOf = (s: NormalisedStatement): string[] => {
  const principal = s.principal as { Service?: string | string[] } | undefined;
  const services = principal && typeof principal === "object" ? principal.Service : undefined;
  return services === undefined ? [] : [services].flat().map(String);
};

/** The operators a statement applies to source keys, e.g. `StringEquals` or `ArnLikeIfExists`. */
const sourceOperators = (s: NormalisedStatement): string[] =>
  Object.entries(s.condition ?? {})
    .filter(([, keys]) => Object.keys(keys).some((key) => SOURCE_KEYS.test(key)))
    .map(([operator]) => operator);

/** Why one trust statement of service principals is wrong about the source context, if it is. */
export function sourceContextProblems(s: NormalisedStatement): string[] {
  if (s.effect !== "Allow") return [];
  const services = servicesOf(s);
  if (services.length === 0) return [];
  const unknown = services.filter((service) => !SERVICE_SOURCE_CONTEXT[service]);
  if (unknown.length) return [`trusts ${unknown.join(", ")}: record in lib/service-principals.ts whether the service documents sending aws:SourceAccount`];
  const operators = sourceOperators(s);
  const required = operators.filter((o) => !o.endsWith("IfExists"));
  const silent = services.filter((service) => !SERVICE_SOURCE_CONTEXT[service].sendsSourceAccount);
  if (silent.length && required.length) {
    return [
      `requires ${required.join(", ")} on a source key, but ${silent.join(", ")} does not document sending it: the condition is false on every AssumeRole and the role can never be used (use the IfExists form)`,
    ];
  }
  if (!silent.length && !required.length) {
    return [`trusts ${services.join(", ")} without requiring aws:SourceAccount or aws:SourceArn, which the service documents sending: add the confused-deputy condition`];
  }
  return [];
}

export const trustSourceRules: PolicyRule[] = [
  {
    id: "IAM-TRUST-SOURCE",
    description:
      "Service trusts require aws:SourceAccount/aws:SourceArn where the service documents sending them, and never require them (IfExists only) where it does not; every trusted service is in lib/service-principals.ts",
    references: ["prowler iam_role_cross_service_confused_deputy_prevention", "IAM global condition keys: aws:SourceAccount availability"],
    resourceTypes: ["aws_iam_role"],
    check: (resource) =>
      documentsOf(resource!)
        .filter((doc) => doc.kind === "trust")
        .flatMap((doc) => doc.statements.flatMap((s) => sourceContextProblems(s).map((m) => `${doc.where}: statement ${s.sid ?? "(no Sid)"} ${m}`))),
  },
];
