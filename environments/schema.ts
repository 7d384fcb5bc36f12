import { z } from "zod";
import { parseIpv4Cidr } from "../lib/cidr";
import { ScheduleService, scheduleProblems } from "../lib/schedule";
import { MAX_LOAD_INTERVAL_MINUTES } from "../modules/streaming/job-arguments";
import { AWS_REGIONS } from "./aws-regions";

/**
 * The schema every environment file must satisfy. Sections are grouped by the module that reads
 * them; a module's props are mapped from its section in `stacks/`, never read here by the module.
 */

const ACCOUNT_ID = /^\d{12}$/;
const ENV_NAME = /^[a-z][a-z0-9]{1,7}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
/** An IAM role or user ARN pattern: `*` only after a name part of at least three characters (never `role/*`). */
const OPERATOR_PRINCIPAL = /^arn:aws:iam::\d{12}:(role|user)\/([\w+=,.@*-]+\/)*[\w+=,.@-]{3,}[\w+=,.@*-]*$/;

export const cidrBlock = z.string().refine(isIpv4Cidr, {
  message: "must be an IPv4 CIDR block like 10.20.0.0/16 with a prefix between /16 and /24 and no host bits set",
});

const positiveInt = z.number().int().positive();
const nonNegative = z.number().min(0);

/** Values of `streaming.jobs`, cheapest last. */
export const STREAMING_JOB_MODES = ["always-on", "on-demand", "off"] as const;
export type StreamingJobMode = (typeof STREAMING_JOB_MODES)[number];

/** A month of a cost estimate, in hours (AWS's pricing pages use 730). */
export const HOURS_PER_MONTH = 730;

/**
 * An environment's usage at which `npm run cost` estimates the monthly bill, beside the idle floor
 * (no data flowing). Averages over a month, for all pipelines of the environment together.
 */
export const usageProfileSchema = z
  .object({
    /** Events producers put on the streams, per second, averaged over the month. */
    eventsPerSecond: nonNegative,
    /** Average size of one event as put on the stream. */
    bytesPerEvent: z.number().int().min(1).max(1_048_576),
    /** Hours a month each streaming job runs (730: always). */
    streamingJobHoursPerMonth: z.number().min(0).max(HOURS_PER_MONTH),
    warehouse: z
      .object({
        /** Queries people and dashboards run a day (Direct Query dashboards count each visual). */
        queriesPerDay: nonNegative,
        /** Average seconds a query keeps the workgroup busy; each bills at least 60 s. */
        averageQuerySeconds: z.number().min(1).max(86_400),
      })
      .strict(),
    /** Terabytes Athena scans a month. */
    athenaTbScannedPerMonth: nonNegative,
    bi: z.object({ authors: z.number().int().min(0), readers: z.number().int().min(0) }).strict(),
  })
  .strict();
export type UsageProfile = z.infer<typeof usageProfileSchema>;

/** A schedule expression as `service` reads it, field by field (lib/schedule.ts). */
const schedule = (service: ScheduleService) =>
  z.string().superRefine((value, context) => {
    for (const message of scheduleProblems(value, service)) context.addIssue({ code: z.ZodIssueCode.custom, message });
  });

export const environmentSchema = z
  .object({
    /** Short lowercase name, used in every resource name: dev, stage, prod, … */
    name: z.string().regex(ENV_NAME, "must be 2-8 lowercase letters/digits, starting with a letter"),
    /** production tightens the cross-field rules (protection, retention). */
    tier: z.enum(["development", "staging", "production"]),
    account: z
      .object({
        id: z.string().regex(ACCOUNT_ID, "must be a 12-digit AWS account id"),
        region: z.enum(AWS_REGIONS),
        // No deploy role to assume: Terraform runs with the CI role's own credentials (docs/security.md).
      })
      .strict(),
    state: z
      .object({
        bucket: z.string().regex(BUCKET, "must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
        key: z.string().regex(/^[\w./-]+\.tfstate$/, "must be a path ending in .tfstate"),
        region: z.enum(AWS_REGIONS),
        /** `lockfile`: S3 native locking (Terraform >= 1.10); `dynamodb`: a lock table. */
        locking: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("lockfile") }).strict(),
          z.object({ kind: z.literal("dynamodb"), table: z.string().regex(/^[\w.-]{3,255}$/, "must be a DynamoDB table name") }).strict(),
        ]),
        /**
         * False while the bootstrap stack still keeps its own state locally (first deploy);
         * true once that state was migrated into the state bucket (see README, "Bootstrap").
         */
        bootstrapStateInBucket: z.boolean(),
      })
      .strict(),
    network: z
      .object({
        cidr: cidrBlock,
        availabilityZones: z.number().int().min(3, "must be at least 3 (Redshift Serverless needs three AZs)").max(6),
        /** A NAT gateway bills every hour; only for jobs that must reach the internet. */
        natGateway: z.boolean(),
      })
      .strict(),
    tags: z
      .object({
        owner: z.string().min(1),
        costCenter: z.string().regex(/^[A-Za-z0-9-]{2,32}$/, "must be 2-32 letters, digits or hyphens"),
        extra: z.record(z.string()).optional(),
      })
      .strict(),
    alarms: z.object({ emails: z.array(z.string().regex(EMAIL, "must be an e-mail address")).min(1) }).strict(),
    retention: z
      .object({
        logDays: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(120), z.literal(150), z.literal(180), z.literal(365), z.literal(400), z.literal(545), z.literal(731), z.literal(1096), z.literal(1827), z.literal(2192), z.literal(2557), z.literal(2922), z.literal(3288), z.literal(3653)], {
          errorMap: () => ({ message: "must be a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653" }),
        }),
        streamHours: z.number().int().min(24).max(8760),
        rawDays: positiveInt,
        curatedDays: positiveInt.optional(),
        quarantineDays: positiveInt,
        /** Raw payloads of quarantined records (restricted prefix): at most quarantineDays, shorter in practice. */
        quarantinePayloadDays: positiveInt,
        tempDays: positiveInt,
        accessLogDays: positiveInt,
        athenaResultsDays: positiveInt,
        noncurrentVersionDays: positiveInt,
        /** Days before raw and curated objects move to S3 Intelligent-Tiering. */
        intelligentTieringAfterDays: z.number().int().min(0),
      })
      .strict(),
    protection: z
      .object({
        /** Terraform `prevent_destroy` on stateful resources. */
        preventDestroy: z.boolean(),
        /** Let `terraform destroy` empty buckets: only for disposable environments. */
        forceDestroy: z.boolean(),
        kmsDeletionWindowDays: z.number().int().min(7).max(30),
      })
      .strict(),
    streaming: z
      .object({
        capacityMode: z.enum(["ON_DEMAND", "PROVISIONED"]),
        shards: z.number().int().min(1).max(500),
        workerType: z.enum(["G.025X", "G.1X", "G.2X", "G.4X", "G.8X"]),
        /** Worker type of the batch jobs: G.025X runs streaming jobs only (AWS Glue API, WorkerType). */
        batchWorkerType: z.enum(["G.1X", "G.2X", "G.4X", "G.8X"]),
        workers: z.number().int().min(2).max(299),
        maxWorkers: z.number().int().min(2).max(299),
        windowSeconds: z.number().int().min(10).max(900),
        /** When the batch jobs sweep the raw zone: a Glue trigger schedule (cron only, at most every 5 minutes). */
        batchSchedule: schedule("glue-trigger"),
        referenceRefreshMinutes: z.number().int().min(1).max(1440),
        /**
         * Who starts the Glue jobs (see docs/cost.md). `always-on`: a keep-alive keeps every
         * streaming job running; batch jobs and the catalog catch-up run on their schedules.
         * `on-demand`: nothing starts a job by itself; `npm run jobs -- start|stop` does.
         * `off`: as on-demand, and the VPC has no interface endpoints, so no job can run: the
         * cheapest idle state. Changing `off` to `on-demand` is a deploy.
         */
        jobs: z.enum(STREAMING_JOB_MODES),
      })
      .strict(),
    warehouse: z
      .object({
        baseCapacityRpu: z.number().int().min(8).max(1024).multipleOf(8, "must be a multiple of 8 RPUs"),
        maxCapacityRpu: z.number().int().min(8).max(1024).multipleOf(8, "must be a multiple of 8 RPUs"),
        usageLimits: z
          .array(
            z
              .object({
                period: z.enum(["daily", "weekly", "monthly"]),
                rpuHours: positiveInt,
                breachAction: z.enum(["log", "emit-metric", "deactivate"]),
              })
              .strict(),
          )
          .min(1, "needs at least one usage limit: it is the cost brake"),
        /** Alarm when the RPU-hours of a rolling day pass this share of a limit's daily share (see modules/warehouse/README.md). */
        usageAlarmPercent: z.number().int().min(10).max(100),
        /** Days a manual/recovery point is kept; Redshift Serverless keeps recovery points 1-35 days. */
        snapshotRetentionDays: z.number().int().min(1).max(3653),
        /**
         * Minutes between a streaming job's warehouse loads: each micro-batch only appends its rows
         * to the job's pending prefix; one load (COPY, guard, MERGE, view refresh when rows changed)
         * takes everything pending once the oldest batch waited this long, so that Redshift idles in
         * between (glue-jobs/README.md). 0: every batch loads, as before. The cost estimate uses it.
         */
        loadIntervalMinutes: z.number().int().min(0).max(MAX_LOAD_INTERVAL_MINUTES),
      })
      .strict(),
    catalog: z
      .object({
        /** The nightly catch-up crawl: an EventBridge Scheduler expression, cron(...) or rate(...). */
        catchUpSchedule: schedule("eventbridge-scheduler"),
        crawlerPollSeconds: z.number().int().min(10).max(600),
        crawlerMaxPolls: z.number().int().min(1).max(200),
      })
      .strict(),
    athena: z.object({ bytesScannedCutoffPerQuery: z.number().int().min(10_485_760, "must be at least 10 MB (Athena's minimum)") }).strict(),
    bi: z
      .object({
        enabled: z.boolean(),
        /** The QuickSight subscription is account-wide and billed per user: off unless asked. */
        createAccountSubscription: z.boolean(),
        authorGroup: z.string().regex(/^[\w+=,.@-]{1,64}$/, "must be a QuickSight group name"),
        readerGroup: z.string().regex(/^[\w+=,.@-]{1,64}$/, "must be a QuickSight group name"),
        notificationEmail: z.string().regex(EMAIL, "must be an e-mail address"),
      })
      .strict(),
    ci: z
      .object({
        /** GitHub repository ("owner/name") whose workflows may plan and deploy this environment. */
        repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be a GitHub repository as "owner/name"'),
        /** One GitHub OIDC provider per account: false when another environment's bootstrap creates it. */
        createOidcProvider: z.boolean(),
      })
      .strict(),
    observability: z
      .object({
        /** Execution data may contain record values; prod keeps it out of logs. */
        stepFunctionsIncludeExecutionData: z.boolean(),
      })
      .strict(),
    /** People who may act on the data itself (docs/security.md, "Quarantine and replay"). */
    operators: z
      .object({
        /** Who may assume `dp-<env>-quarantine-operator` (reads quarantined payloads, replays corrected ones); omit: no such role. */
        quarantine: z
          .object({
            /** ARN patterns of IAM roles or users of this account, e.g. an Identity Center permission set's role. */
            principalArnPatterns: z.array(z.string().regex(OPERATOR_PRINCIPAL, "must be arn:aws:iam::<account>:role/... or :user/..., naming at least 3 characters before any *")).min(1),
            /** MFA in the assuming session; false only where every principal is an Identity Center role (its sign-in enforces MFA). */
            requireMfa: z.boolean(),
            /** Longest session, hours. */
            maxSessionHours: z.number().int().min(1).max(12),
          })
          .strict()
          .optional(),
      })
      .strict(),
    /** The monthly AWS Budget of the environment's account: e-mails through the alarm topic. */
    budget: z
      .object({
        monthlyUsd: z.number().positive(),
        /** Notify when the actual cost of the month passes this share of the amount. */
        actualPercent: z.number().int().min(1).max(1000),
        /** Notify when AWS forecasts the month to pass this share of the amount. */
        forecastPercent: z.number().int().min(1).max(1000),
      })
      .strict(),
    /** The usage the cost estimate assumes (`npm run cost`, docs/cost.md); nothing is deployed from it. */
    usage: usageProfileSchema,
  })
  .strict();

/** What an environment file exports: plain data, typed by the schema. */
export type EnvironmentConfig = z.input<typeof environmentSchema>;

/** True for an IPv4 CIDR block with a prefix from /16 to /24 and no host bits set. */
export function isIpv4Cidr(value: string): boolean {
  const cidr = parseIpv4Cidr(value);
  if (!cidr || cidr.prefix < 16 || cidr.prefix > 24) return false;
  return cidr.address % 2 ** (32 - cidr.prefix) === 0;
}
