import { Arns } from "../../lib/arn";
import { PolicyDocument, PolicyStatement, policyDocument } from "../../lib/iam";

/**
 * The platform key's policy. The account root statement delegates to IAM (so that roles get key
 * access only through their own least-privilege policies); each AWS service that encrypts with the
 * key on the platform's behalf gets exactly the actions it uses, only for this account.
 */
export interface KeyPolicyInput {
  readonly accountId: string;
  readonly region: string;
  /** Roles outside the platform that may decrypt one secret through Secrets Manager. @default none */
  readonly secretReaders?: readonly SecretReaderKeyGrant[];
}

/**
 * A role the platform does not own (so it cannot carry the platform's IAM policy) that reads one
 * secret encrypted with the key: granted here, by condition on its ARN, the service and the
 * secret, never by naming it as principal (a key policy refuses principals that do not exist).
 */
export interface SecretReaderKeyGrant {
  readonly sid: string;
  /** ARN patterns of the role. */
  readonly principalArns: readonly string[];
  /** ARN pattern of the secret (`kms:EncryptionContext:SecretARN`). */
  readonly secretArnPattern: string;
}

const ENCRYPT_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"];

/** Services that use the key as themselves (not through a role of ours), and why. */
export const KEY_SERVICE_PRINCIPALS = {
  logs: "CloudWatch Logs encrypts the platform's log groups",
  "logging.s3": "S3 server access log delivery writes into the KMS-encrypted access-logs bucket",
  events: "EventBridge sends failed events to the encrypted dead-letter queues",
  cloudwatch: "CloudWatch alarms publish to the encrypted alarm topic",
  budgets: "AWS Budgets publishes cost alerts to the encrypted alarm topic",
} as const;

export function platformKeyPolicy(input: KeyPolicyInput): PolicyDocument {
  const arns = new Arns(input.accountId, input.region);
  const sourceAccount = { StringEquals: { "aws:SourceAccount": input.accountId } };
  const statements: PolicyStatement[] = [
    {
      Sid: "AccountAdministersKeyThroughIam",
      Effect: "Allow",
      Principal: { AWS: arns.accountRoot() },
      Action: ["kms:*"],
      Resource: ["*"],
    },
    {
      Sid: "CloudWatchLogsEncryptsPlatformLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${input.region}.amazonaws.com` },
      Action: ["kms:Decrypt", "kms:Describe*", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      Resource: ["*"],
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arns.logGroup("*") } },
    },
    {
      Sid: "S3AccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: ENCRYPT_ACTIONS,
      Resource: ["*"],
      Condition: sourceAccount,
    },
    {
      Sid: "EventBridgeDeadLetterQueues",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ENCRYPT_ACTIONS,
      Resource: ["*"],
      Condition: sourceAccount,
    },
    {
      Sid: "CloudWatchAlarmsToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ENCRYPT_ACTIONS,
      Resource: ["*"],
      Condition: sourceAccount,
    },
    {
      Sid: "BudgetAlertsToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "budgets.amazonaws.com" },
      Action: ENCRYPT_ACTIONS,
      Resource: ["*"],
      Condition: sourceAccount,
    },
    ...(input.secretReaders ?? []).map(
      (reader): PolicyStatement => ({
        Sid: reader.sid,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Decrypt"],
        Resource: ["*"],
        Condition: {
          StringEquals: { "kms:CallerAccount": input.accountId, "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` },
          ArnLike: { "aws:PrincipalArn": reader.principalArns },
          StringLike: { "kms:EncryptionContext:SecretARN": reader.secretArnPattern },
        },
      }),
    ),
  ];
  return policyDocument(...statements);
}
