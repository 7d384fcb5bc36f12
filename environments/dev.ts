import type { EnvironmentConfig } from "./schema";

/** Dev: cheap and disposable. Small sizes, short retention, `terraform destroy` empties buckets. */
export const dev: EnvironmentConfig = {
  name: "dev",
  tier: "development",
  account: { id: "111122223333", region: "eu-west-1" },
  state: { bucket: "dp-terraform-state-111122223333", key: "data-platform/dev.tfstate", region: "eu-west-1", locking: { kind: "lockfile" }, bootstrapStateInBucket: true },
  network: { cidr: "10.10.0.0/16", availabilityZones: 3, natGateway: false },
  tags: { owner: "data-platform-team", costCenter: "DP-DEV" },
  alarms: { emails: ["data-platform-dev-alerts@example.com"] },
  retention: {
    logDays: 14,
    streamHours: 24,
    rawDays: 7,
    curatedDays: 30,
    quarantineDays: 7,
    quarantinePayloadDays: 3,
    tempDays: 1,
    accessLogDays: 30,
    athenaResultsDays: 3,
    noncurrentVersionDays: 3,
    intelligentTieringAfterDays: 0,
  },
  protection: { preventDestroy: false, forceDestroy: true, kmsDeletionWindowDays: 7 },
  streaming: {
    // One provisioned shard bills less than an on-demand stream's hourly charge (docs/cost.md).
    capacityMode: "PROVISIONED",
    shards: 1,
    workerType: "G.025X",
    batchWorkerType: "G.1X",
    workers: 2,
    maxWorkers: 2,
    windowSeconds: 100,
    batchSchedule: "cron(0 6 * * ? *)",
    referenceRefreshMinutes: 60,
    // No interface endpoints, nothing runs: the idle floor. Set "on-demand" (a deploy) to run jobs.
    jobs: "off",
  },
  warehouse: {
    baseCapacityRpu: 8,
    maxCapacityRpu: 8,
    // Deactivating is safe here: no streaming job writes unless someone started it (streaming.jobs).
    usageLimits: [{ period: "daily", rpuHours: 8, breachAction: "deactivate" }],
    usageAlarmPercent: 80,
    snapshotRetentionDays: 1,
    // Minutes between warehouse loads: Redshift idles in between (docs/cost.md).
    loadIntervalMinutes: 15,
  },
  catalog: { catchUpSchedule: "cron(30 2 * * ? *)", crawlerPollSeconds: 30, crawlerMaxPolls: 40 },
  athena: { bytesScannedCutoffPerQuery: 1_073_741_824 },
  bi: {
    enabled: false,
    createAccountSubscription: false,
    authorGroup: "data-platform-dev-authors",
    readerGroup: "data-platform-dev-readers",
    notificationEmail: "data-platform-dev-alerts@example.com",
  },
  ci: { repository: "acme-data/data-platform", createOidcProvider: true },
  observability: { stepFunctionsIncludeExecutionData: true },
  // Identity Center enforces MFA at sign-in; its sessions carry no aws:MultiFactorAuthPresent.
  operators: { quarantine: { principalArnPatterns: ["arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataPlatformOperator_*"], requireMfa: false, maxSessionHours: 4 } },
  budget: { monthlyUsd: 75, actualPercent: 80, forecastPercent: 100 },
  usage: {
    eventsPerSecond: 0.2,
    bytesPerEvent: 600,
    streamingJobHoursPerMonth: 0,
    warehouse: { queriesPerDay: 20, averageQuerySeconds: 5 },
    athenaTbScannedPerMonth: 0.01,
    bi: { authors: 0, readers: 0 },
  },
};
