import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument } from "../../lib/iam";
import { functionRuntimeStatements } from "../../lib/python-function";

export interface RotationPolicyInput {
  readonly accountId: string;
  readonly region: string;
  /** Names of the secrets the function rotates (their ARNs end in a random suffix). */
  readonly userSecretNames: readonly string[];
  /** The namespace's admin secret (managed by Redshift): the Data API reads it as the caller. */
  readonly adminSecretArn: string;
  readonly workgroupArn: string;
  readonly kmsKeyArn: string;
  readonly logGroupName: string;
}

/** Actions AWS offers on `*` only (IAM service reference), each needed by the function. */
export const ROTATION_UNSCOPABLE_ACTIONS = {
  /** GetRandomPassword concerns no secret. */
  randomPassword: ["secretsmanager:GetRandomPassword"],
  /** DescribeStatement has no resource type; the condition keeps it to the function's own statements. */
  statementStatus: ["redshift-data:DescribeStatement"],
} as const;

/**
 * The rotation function's role: the four rotation steps on the users' secrets, the admin secret
 * through the Data API on this workgroup only, the platform key only through Secrets Manager.
 */
export function rotationFunctionPolicy(input: RotationPolicyInput): PolicyDocument {
  const arns = new Arns(input.accountId, input.region);
  return policyDocument(
    allow(
      "RotateUserSecrets",
      ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
      input.userSecretNames.map((name) => arns.secret(name)),
    ),
    allow("GeneratePasswords", [...ROTATION_UNSCOPABLE_ACTIONS.randomPassword], ["*"]),
    allow("ConnectAsAdmin", ["secretsmanager:GetSecretValue"], [input.adminSecretArn]),
    allow("SetPasswords", ["redshift-data:ExecuteStatement"], [input.workgroupArn]),
    allow("ReadOwnStatements", [...ROTATION_UNSCOPABLE_ACTIONS.statementStatus], ["*"], {
      // `$${` is Terraform's escape for a literal `${`: IAM, not Terraform, fills in the variable.
      StringEquals: { "redshift-data:statement-owner-iam-userid": "$${aws:userid}" },
    }),
    allow("SecretsEncryption", ["kms:Decrypt", "kms:GenerateDataKey"], [input.kmsKeyArn], {
      StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` },
    }),
    ...functionRuntimeStatements(arns, input.logGroupName),
  );
}
