import { configStrings } from "../dependency-graph";
import { PolicyRule, TerraformJson } from "../types";

/**
 * Terraform writes every argument and attribute of every resource and data source into its state
 * and its saved plans, `sensitive` or not. Only ephemeral blocks and write-only arguments (`*_wo`,
 * Terraform >= 1.11) stay out. So a secret may exist in a stack only as an ephemeral value flowing
 * into a write-only argument, or as a reference to where its consumers read it (a secret's ARN).
 */

/** Blocks whose very purpose is to hold a secret value, by kind, with what they would leak. */
export const SECRET_BLOCK_TYPES: Readonly<Record<"resource" | "data", Readonly<Record<string, string>>>> = {
  resource: {
    random_password: "the generated password is an attribute (result)",
    tls_private_key: "the private key is an attribute (private_key_pem)",
    aws_iam_access_key: "the secret access key is an attribute (secret)",
    aws_kms_ciphertext: "the plaintext is an argument",
  },
  data: {
    aws_secretsmanager_random_password: "the generated password is an attribute (random_password); use the ephemeral resource",
    aws_secretsmanager_secret_version: "reads a secret's value into the state; use the ephemeral resource",
    aws_kms_secrets: "decrypted plaintext is an attribute",
    aws_ssm_parameter: "reads a parameter's value (a SecureString's plaintext included) into the state; read with with_decryption = false",
  },
};

/** Blocks of a secret-holding type that are safe as configured: a parameter read without decryption gives a SecureString's ciphertext only. */
const SAFE_AS_CONFIGURED: Readonly<Record<string, (config: Record<string, unknown>) => boolean>> = {
  aws_ssm_parameter: (config) => config.with_decryption === false,
};

/** An argument whose name says it carries a secret (`password`, `secret_string`, `private_key`, …). */
export const SECRET_ARGUMENT = /(^|_)(password|passwd|secret_string|secret_binary|private_key|secret_key|credential_pair|token)$/i;

/** Values no SQL or argument of the platform may carry: a password hash is as good as the password. */
export const SECRET_VALUE_TEXT: { name: string; pattern: RegExp }[] = [
  { name: "an MD5 password hash", pattern: /md5[0-9a-f]{32}/i },
  { name: "Terraform's md5() of a value", pattern: /\$\{[^}]*\bmd5\(/ },
  { name: "a PASSWORD clause that sets a password", pattern: /\bPASSWORD\s+(?!DISABLE\b)('|"|\$\{)/i },
  { name: "a generated password", pattern: /\$\{[^}]*\b(random_password|random_string)\b/ },
  { name: "a secret's value", pattern: /\$\{[^}]*\.(secret_string|secret_binary)\b/ },
];

const isWriteOnly = (argument: string) => argument.endsWith("_wo");

/** Everything a stack would put into state that can carry a secret, with where and why. */
export function stateSecretFindings(json: TerraformJson): string[] {
  const findings: string[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      const prefix = kind === "data" ? "data." : "";
      for (const [name, config] of Object.entries(byName)) {
        const address = `${prefix}${type}.${name}`;
        if (SECRET_BLOCK_TYPES[kind][type] && !(kind === "data" && SAFE_AS_CONFIGURED[type]?.(config))) findings.push(`${address}: ${SECRET_BLOCK_TYPES[kind][type]}`);
        findings.push(...argumentFindings(address, config));
      }
    }
  }
  for (const [name, output] of Object.entries(json.output ?? {})) findings.push(...argumentFindings(`output.${name}`, output));
  return findings;
}

function argumentFindings(address: string, config: Record<string, unknown>): string[] {
  const findings: string[] = [];
  for (const { path, value } of configStrings(config)) {
    const argument = [...path].reverse().find((p) => !/^\d+$/.test(p)) ?? "";
    const where = `${address}.${path.join(".")}`;
    if (path.some(isWriteOnly)) continue;
    if (SECRET_ARGUMENT.test(argument) || path.some((p) => SECRET_ARGUMENT.test(p))) {
      findings.push(`${where} is a secret argument: its value would be kept in the state (use a *_wo argument or a secret's ARN)`);
      continue;
    }
    if (value.includes("${ephemeral.")) findings.push(`${where} takes an ephemeral value outside a write-only argument`);
    for (const { name, pattern } of SECRET_VALUE_TEXT) if (pattern.test(value)) findings.push(`${where} carries ${name}`);
  }
  return findings;
}

export const stateSecretRules: PolicyRule[] = [
  {
    id: "STATE-SECRETS",
    description: "No resource, data source or output can carry a secret into Terraform's plan or state (only ephemeral values into write-only arguments)",
    references: ["Terraform: ephemeral resources and write-only arguments", "issue 13, item 6", "CKV_SECRET_*"],
    resourceTypes: [],
    check: (_resource, context) => stateSecretFindings(context.json),
  },
];
