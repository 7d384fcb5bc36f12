import type { EnvironmentConfig } from "./schema";

/** Stage: prod's shape at a fraction of its size, protected enough to rehearse a release. */
export const stage: EnvironmentConfig = {
  name: "stage",
  tier: "staging",
  account: { id: "444455556666", region: "eu-west-1", deployRoleArn: "arn:aws:iam::444455556666:role/dp-stage-deployer" },
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
    workers: 2,
    maxWorkers: 4,
    windowSeconds: 100,
    batchSchedule: "cron(0 */6 * * ? *)",
    referenceRefreshMinutes: 30,
  },
  warehouse: {
    baseCapacityRpu: 8,
    maxCapacityRpu: 32,
    usageLimits: [
      { period: "daily", rpuHours: 24, breachAction: "emit-metric" },
      { period: "weekly", rpuHours: 120, breachAction: "deactivate" },
    ],
    snapshotRetentionDays: 7,
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
  observability: { stepFunctionsIncludeExecutionData: true },
};
