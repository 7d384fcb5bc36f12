import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import { join } from "node:path";
import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument } from "../../lib/iam";
import type { Namer } from "../../lib/naming";
import { functionRuntimeStatements, pythonFunction } from "../../lib/python-function";

/** Letters and digits only: the jobs embed the pepper as a Spark SQL string literal. */
export const PEPPER_LENGTH = 64;
/**
 * The version id the pepper is written under (a ClientRequestToken, 32-64 characters): one fixed id
 * makes the write idempotent, so that two invocations cannot leave two peppers.
 */
export const PEPPER_VERSION_ID = "00000000-0000-4000-8000-000000000001";
export const PEPPER_HANDLER_FILE = join(__dirname, "pepper", "initialize_pepper.py");
/** One Secrets Manager call after another: seconds. */
const PEPPER_TIMEOUT_SECONDS = 60;

export interface PepperProps {
  readonly namer: Namer;
  /** The platform key: the secret and the initializer's log group. */
  readonly kmsKeyArn: string;
  readonly permissionsBoundaryArn: string;
  readonly logRetentionDays: number;
  /** Days a deleted pepper can still be restored (0 or 7-30). */
  readonly recoveryWindowDays: number;
  readonly preventDestroy: boolean;
}

/** The names of the pepper's resources. */
export function pepperNames(namer: Namer) {
  return {
    secret: namer.name("secret", "pepper"),
    function: namer.name("generic", "pepper", "initializer"),
    role: namer.name("iamRole", "pepper", "initializer"),
    logGroup: namer.logGroup("aws/lambda", "pepper-initializer"),
  };
}

/** The initializer's actions on `*` besides tracing, each with why AWS offers nothing narrower. */
export const PEPPER_UNSCOPABLE_ACTIONS: Readonly<Record<string, string>> = {
  "secretsmanager:GetRandomPassword": "generating a value concerns no secret (iam-data: wildcard only)",
};

export interface PepperPolicyInput {
  readonly accountId: string;
  readonly region: string;
  readonly secretName: string;
  readonly kmsKeyArn: string;
  readonly logGroupName: string;
}

/**
 * The initializer's role: look at the pepper's versions and write its first one, encrypted with
 * the platform key for that secret only. It may never read the pepper (no GetSecretValue).
 */
export function pepperInitializerPolicy(input: PepperPolicyInput): PolicyDocument {
  const arns = new Arns(input.accountId, input.region);
  const secret = arns.secret(input.secretName);
  return policyDocument(
    allow("WritePepperOnce", ["secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue"], [secret]),
    allow("GeneratePepper", Object.keys(PEPPER_UNSCOPABLE_ACTIONS), ["*"]),
    allow("EncryptPepper", ["kms:Decrypt", "kms:GenerateDataKey"], [input.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:SecretARN": secret },
    }),
    ...functionRuntimeStatements(arns, input.logGroupName),
  );
}

/**
 * The masking pepper: a secret the jobs hash with, whose value no one chooses and Terraform never
 * holds. A function (pepper/initialize_pepper.py) gives it its one value: Secrets Manager generates
 * it, and Terraform invokes the function once, when the secret is new. Neither the plan, the state
 * nor anyone planning can read it; the Glue jobs read it at start (`--pepper_secret_id`).
 *
 * Not a Terraform secret version: refreshing one reads the secret's value (GetSecretValue), even
 * when it was written through a write-only argument, and the plan role may read no secret.
 */
export class Pepper extends Construct {
  readonly secretName: string;
  /** Reference to the secret's ARN. */
  readonly secretArn: string;
  /** Gives the secret its value: whoever reads the pepper is ordered after it. */
  readonly value: LambdaInvocation;

  constructor(scope: Construct, id: string, props: PepperProps) {
    super(scope, id);
    const { namer } = props;
    const names = pepperNames(namer);
    const secret = new SecretsmanagerSecret(this, "secret", {
      name: names.secret,
      description: "Pepper of the SHA-256 hashes the Glue jobs write; changing it changes every hash",
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowDays,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    const { function: fn } = pythonFunction(this, {
      functionName: names.function,
      description: "Gives the masking pepper its one generated value",
      handlerFile: PEPPER_HANDLER_FILE,
      roleName: names.role,
      roleDescription: "Writes the first and only version of the masking pepper",
      policyName: "initialize-pepper",
      permissions: pepperInitializerPolicy({ accountId: namer.accountId, region: namer.region, secretName: names.secret, kmsKeyArn: props.kmsKeyArn, logGroupName: names.logGroup }),
      accountId: namer.accountId,
      region: namer.region,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      kmsKeyArn: props.kmsKeyArn,
      logGroupName: names.logGroup,
      logRetentionDays: props.logRetentionDays,
      timeoutSeconds: PEPPER_TIMEOUT_SECONDS,
      reservedConcurrency: 1,
    });
    // CREATE_ONLY (the provider's default): invoked when created, never on refresh, not again
    // unless its input changes; the function leaves an existing pepper as it is in any case.
    this.value = new LambdaInvocation(this, "initialize", {
      functionName: fn.functionName,
      input: JSON.stringify({ SecretId: secret.arn, VersionId: PEPPER_VERSION_ID, PasswordLength: PEPPER_LENGTH }),
    });
    this.secretName = names.secret;
    this.secretArn = secret.arn;
  }
}
