import type { EnvironmentConfig } from "./schema";

/** Stage: prod's shape at a fraction of its size, protected enough to rehearse a release. */
export const stage: EnvironmentConfig = {
  name: "stage",
  tier: "staging",
  account: { id: "444455556666", region: "eu-west-1" },
  state: { bucket: "dp-terraform-state-444455556666", key: "data-platform/stage.tfstate", region: "eu-west-1", locking: { kind: "lockfile" }, bootstrapStateInBucket: true },
  network: { cidr: "10.20.0.0/16", availabilityZones: 3, natGateway: false },
  tags: { owner: "data-platform-team", costCenter: "DP-STAGE" },
  alarms: { emails: ["data-platform-alerts@example.com"] },
  retention: {
    logDays: 90,
    streamHours: 72,
    rawDays: 30,
    curatedDays: 180,
    quarantineDays: 30,
    quarantinePayloadDays: 7,
    tempDays: 3,
    accessLogDays: 90,
    athenaResultsDays: 7,
    noncurrentVersionDays: 14,
    intelligentTieringAfterDays: 30,
  },
  protection: { preventDestroy: false, forceDestroy: false, kmsDeletionWindowDays: 14 },
  streaming: {
    capacityMode: "ON_DEMAND",
    shards: 1,
    workerType: "G.1X",
    batchWorkerType: "G.1X",
    workers: 2,
    maxWorkers: 4,
    windowSeconds: 100,
    batchSchedule: "cron(0 */6 * * ? *)",
    referenceRefreshMinutes: 30,
    jobs: "always-on",
  },
  warehouse: {
    baseCapacityRpu: 8,
    maxCapacityRpu: 32,
    usageLimits: [
      { period: "daily", rpuHours: 24, breachAction: "emit-metric" },
      // Not "deactivate": the streaming jobs load all the time and would fail in a loop.
      { period: "weekly", rpuHours: 120, breachAction: "emit-metric" },
    ],
    usageAlarmPercent: 80,
    snapshotRetentionDays: 7,
    // Minutes between warehouse loads: Redshift idles in between (docs/cost.md).
    loadIntervalMinutes: 15,
  },
  catalog: { catchUpSchedule: "cron(30 2 * * ? *)", crawlerPollSeconds: 30, crawlerMaxPolls: 40 },
  athena: { bytesScannedCutoffPerQuery: 10_737_418_240 },
  bi: {
    enabled: true,
    createAccountSubscription: false,
    authorGroup: "data-platform-stage-authors",
    readerGroup: "data-platform-stage-readers",
    notificationEmail: "data-platform-alerts@example.com",
  },
  ci: { repository: "acme-data/data-platform", createOidcProvider: true },
  observability: { stepFunctionsIncludeExecutionData: true },
  // Identity Center enforces MFA at sign-in; its sessions carry no aws:MultiFactorAuthPresent.
  operators: { quarantine: { principalArnPatterns: ["arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataPlatformOperator_*"], requireMfa: false, maxSessionHours: 1 } },
  budget: { monthlyUsd: 2600, actualPercent: 80, forecastPercent: 100 },
  usage: {
    eventsPerSecond: 20,
    bytesPerEvent: 800,
    streamingJobHoursPerMonth: 730,
    warehouse: { queriesPerDay: 200, averageQuerySeconds: 10 },
    athenaTbScannedPerMonth: 0.2,
    bi: { authors: 2, readers: 5 },
  },
};
