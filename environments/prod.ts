import type { EnvironmentConfig } from "./schema";

/** Prod: protected and durable. A week of stream replay, a year of logs, nothing destroyable. */
export const prod: EnvironmentConfig = {
  name: "prod",
  tier: "production",
  account: { id: "777788889999", region: "eu-west-1", deployRoleArn: "arn:aws:iam::777788889999:role/dp-prod-deployer" },
  state: {
    bucket: "dp-terraform-state-777788889999",
    key: "data-platform/prod.tfstate",
    region: "eu-west-1",
    locking: { kind: "lockfile" },
    bootstrapStateInBucket: true,
  },
  network: { cidr: "10.30.0.0/16", availabilityZones: 3, natGateway: false },
  tags: { owner: "data-platform-team", costCenter: "DP-PROD" },
  alarms: { emails: ["data-platform-alerts@example.com", "data-platform-oncall@example.com"] },
  retention: {
    logDays: 365,
    streamHours: 168,
    rawDays: 90,
    quarantineDays: 90,
    tempDays: 7,
    accessLogDays: 365,
    athenaResultsDays: 30,
    noncurrentVersionDays: 90,
    intelligentTieringAfterDays: 30,
  },
  protection: { preventDestroy: true, forceDestroy: false, kmsDeletionWindowDays: 30 },
  streaming: {
    capacityMode: "PROVISIONED",
    shards: 4,
    workerType: "G.1X",
    workers: 2,
    maxWorkers: 10,
    windowSeconds: 60,
    batchSchedule: "cron(0 * * * ? *)",
    referenceRefreshMinutes: 15,
  },
  warehouse: {
    baseCapacityRpu: 32,
    maxCapacityRpu: 128,
    usageLimits: [
      { period: "daily", rpuHours: 400, breachAction: "emit-metric" },
      { period: "monthly", rpuHours: 9000, breachAction: "log" },
    ],
    snapshotRetentionDays: 35,
  },
  catalog: { catchUpSchedule: "cron(30 2 * * ? *)", crawlerPollSeconds: 30, crawlerMaxPolls: 60 },
  athena: { bytesScannedCutoffPerQuery: 107_374_182_400 },
  bi: {
    enabled: true,
    createAccountSubscription: false,
    authorGroup: "data-platform-authors",
    readerGroup: "data-platform-readers",
    notificationEmail: "data-platform-alerts@example.com",
  },
  observability: { stepFunctionsIncludeExecutionData: false },
};
