/**
 * The dated price table `npm run cost` reads: on-demand list prices in USD, per region.
 *
 * Each price names the AWS page it belongs to (`source`), the day it was recorded (`asOf`) and the
 * Price List API usage type that bills it (`usageType`: `aws pricing get-products --service-code
 * <service> --filters Type=TERM_MATCH,Field=usagetype,Value=<usageType>` returns the current figure).
 * `seenIn` names the public copy in which the figure itself was read when it was recorded; a price
 * without it was taken from the AWS price list by hand and is reported as unconfirmed by the tool
 * (docs/cost.md, "Refreshing the price table"). A price that changes is a reviewed change here.
 */

export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  readonly unit: string;
  /** The AWS pricing page this price belongs to. */
  readonly source: string;
  /** Day the price was recorded (YYYY-MM-DD). */
  readonly asOf: string;
  /** The Price List API usage type (service code first). */
  readonly usageType: string;
  /** Where the figure was read (a stored copy of the page, the API, a documented bill); absent: not confirmed. */
  readonly seenIn?: string;
}

export const PRICE_KEYS = [
  "kms.keyMonth",
  "secretsmanager.secretMonth",
  "kinesis.shardHour",
  "kinesis.putPayloadUnitsMillion",
  "kinesis.extendedRetentionShardHour",
  "kinesis.longTermRetentionGbMonth",
  "kinesis.onDemandStreamHour",
  "kinesis.onDemandDataInGb",
  "kinesis.onDemandDataOutGb",
  "kinesis.onDemandExtendedRetentionGbMonth",
  "vpc.interfaceEndpointAzHour",
  "vpc.interfaceEndpointDataGb",
  "vpc.natGatewayHour",
  "vpc.natGatewayDataGb",
  "vpc.publicIpv4Hour",
  "glue.dpuHour",
  "glue.crawlerDpuHour",
  "redshift.serverlessRpuHour",
  "redshift.managedStorageGbMonth",
  "s3.standardGbMonth",
  "s3.putRequestsThousand",
  "cloudwatch.alarmMonth",
  "cloudwatch.logsIngestedGb",
  "cloudwatch.vendedLogsIngestedGb",
  "cloudwatch.logsStoredGbMonth",
  "stepfunctions.stateTransitionsThousand",
  "scheduler.invocationsMillion",
  "athena.scannedTb",
  "quicksight.authorMonth",
  "quicksight.readerMonth",
  "budgets.budgetDay",
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];
export type RegionPrices = Readonly<Record<PriceKey, Price>>;

export interface PriceTable {
  readonly currency: "USD";
  /** The day the table as a whole was last reviewed. */
  readonly asOf: string;
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

const AS_OF = "2026-11-29";

const PAGES = {
  kms: "https://aws.amazon.com/kms/pricing/",
  secretsmanager: "https://aws.amazon.com/secrets-manager/pricing/",
  kinesis: "https://aws.amazon.com/kinesis/data-streams/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
  vpc: "https://aws.amazon.com/vpc/pricing/",
  glue: "https://aws.amazon.com/glue/pricing/",
  redshift: "https://aws.amazon.com/redshift/pricing/",
  s3: "https://aws.amazon.com/s3/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  stepfunctions: "https://aws.amazon.com/step-functions/pricing/",
  eventbridge: "https://aws.amazon.com/eventbridge/pricing/",
  athena: "https://aws.amazon.com/athena/pricing/",
  quicksight: "https://aws.amazon.com/quicksight/pricing/",
  budgets: "https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/",
} as const;

/** Public copies in which figures were read when the table was recorded. */
const SEEN = {
  kinesisUsEast1: "https://www.trek10.com/blog/amazon-kinesis-data-streams-on-demand-vs.-provisioned-billing-mode-cost-comparison (us-east-1 table)",
  privatelinkData: "stored copy of https://aws.amazon.com/privatelink/pricing/ (data processed, first 1 PB: $0.01 per GB)",
  privatelinkHour: "https://awsnegotiations.com/privatelink-cost-analysis.html ($0.01 per hour per AZ)",
  glueExample: "stored copy of https://aws.amazon.com/glue/pricing/ (pricing example: 1 DPU-hour at $0.44)",
  budgetsDoc: "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/budgets-managing-costs.html (first two budgets free, $0.02 per budget-day after)",
  priceListUsEast1: "AWS Price List API extract for us-east-1, 2025-10-28 (NAT gateway $0.045/h, Secrets Manager $0.40/secret-month, KMS $1/key-month)",
} as const;

/** One price: `usageType` without the region prefix, which `regionPrices()` adds. */
type PriceSpec = readonly [usd: number, unit: string, page: keyof typeof PAGES, usageType: string, seenIn?: string];

/** Prices that are the same in every region of the table (per their pages' region tables). */
const SAME_EVERYWHERE: Partial<Record<PriceKey, PriceSpec>> = {
  "kms.keyMonth": [1.0, "key-month", "kms", "AWSKMS:KMS-Keys", SEEN.priceListUsEast1],
  "secretsmanager.secretMonth": [0.4, "secret-month", "secretsmanager", "AWSSecretsManager:AWSSecretsManager-Secrets", SEEN.priceListUsEast1],
  "glue.dpuHour": [0.44, "DPU-hour", "glue", "AWSGlue:ETL-DPU-Hour", SEEN.glueExample],
  "glue.crawlerDpuHour": [0.44, "DPU-hour", "glue", "AWSGlue:Crawler-DPU-Hour"],
  "s3.standardGbMonth": [0.023, "GB-month (first 50 TB)", "s3", "AmazonS3:TimedStorage-ByteHrs"],
  "s3.putRequestsThousand": [0.005, "1,000 PUT/COPY/POST/LIST requests", "s3", "AmazonS3:Requests-Tier1"],
  "cloudwatch.alarmMonth": [0.1, "standard-resolution alarm-month", "cloudwatch", "AmazonCloudWatch:CW:AlarmMonitorUsage"],
  "cloudwatch.logsStoredGbMonth": [0.03, "GB-month (compressed)", "cloudwatch", "AmazonCloudWatch:TimedStorage-ByteHrs"],
  "stepfunctions.stateTransitionsThousand": [0.025, "1,000 state transitions (Standard)", "stepfunctions", "AmazonStates:StateTransition"],
  "scheduler.invocationsMillion": [1.0, "million invocations (after 14 million free)", "eventbridge", "AWSEvents:ScheduledInvocation"],
  "athena.scannedTb": [5.0, "TB scanned (10 MB minimum per query)", "athena", "AmazonAthena:DataScannedInTB"],
  "quicksight.authorMonth": [24.0, "author-month (Enterprise, monthly)", "quicksight", "AmazonQuickSight:QS-User-Enterprise-Month"],
  "quicksight.readerMonth": [3.0, "reader-month (Enterprise, monthly)", "quicksight", "AmazonQuickSight:QS-Reader-Enterprise-Month"],
  "budgets.budgetDay": [0.02, "budget-day (the first two budgets of an account are free)", "budgets", "AWSBudgets:ActiveBudget", SEEN.budgetsDoc],
  "vpc.publicIpv4Hour": [0.005, "in-use public IPv4 address-hour", "vpc", "AmazonVPC:PublicIPv4:InUseAddress"],
};

/** Prices that differ between regions. */
const BY_REGION: Readonly<Record<string, { prefix: string; prices: Partial<Record<PriceKey, PriceSpec>> }>> = {
  // The price list writes us-east-1 usage types without a region prefix.
  "us-east-1": {
    prefix: "",
    prices: {
      "kinesis.shardHour": [0.015, "shard-hour", "kinesis", "AmazonKinesis:Storage-ShardHour", SEEN.kinesisUsEast1],
      "kinesis.putPayloadUnitsMillion": [0.014, "million PUT payload units (25 KB each)", "kinesis", "AmazonKinesis:PutRequestPayloadUnits", SEEN.kinesisUsEast1],
      "kinesis.extendedRetentionShardHour": [0.02, "shard-hour of retention beyond 24 h (up to 7 days)", "kinesis", "AmazonKinesis:Extended-ShardHour"],
      "kinesis.longTermRetentionGbMonth": [0.023, "GB-month kept beyond 7 days", "kinesis", "AmazonKinesis:LongTermRetention-ByteHrs"],
      "kinesis.onDemandStreamHour": [0.04, "on-demand stream-hour", "kinesis", "AmazonKinesis:OnDemand-StreamHour", SEEN.kinesisUsEast1],
      "kinesis.onDemandDataInGb": [0.08, "GB written (records rounded up to 1 KB)", "kinesis", "AmazonKinesis:OnDemand-BilledIncomingBytes", SEEN.kinesisUsEast1],
      "kinesis.onDemandDataOutGb": [0.04, "GB read", "kinesis", "AmazonKinesis:OnDemand-BilledOutgoingBytes", SEEN.kinesisUsEast1],
      "kinesis.onDemandExtendedRetentionGbMonth": [0.1, "GB-month kept beyond 24 h (up to 7 days)", "kinesis", "AmazonKinesis:OnDemand-ExtendedRetention-ByteHrs"],
      "vpc.interfaceEndpointAzHour": [0.01, "interface endpoint-hour per AZ", "privatelink", "AmazonVPC:VpcEndpoint-Hours", SEEN.privatelinkHour],
      "vpc.interfaceEndpointDataGb": [0.01, "GB processed (first 1 PB)", "privatelink", "AmazonVPC:VpcEndpoint-Bytes", SEEN.privatelinkData],
      "vpc.natGatewayHour": [0.045, "NAT gateway-hour", "vpc", "AmazonEC2:NatGateway-Hours", SEEN.priceListUsEast1],
      "vpc.natGatewayDataGb": [0.045, "GB processed", "vpc", "AmazonEC2:NatGateway-Bytes", SEEN.priceListUsEast1],
      "redshift.serverlessRpuHour": [0.375, "RPU-hour (per second, 60 s minimum)", "redshift", "AmazonRedshift:Redshift:ServerlessUsage"],
      "redshift.managedStorageGbMonth": [0.024, "GB-month of managed storage", "redshift", "AmazonRedshift:RMS:Serverless"],
      "cloudwatch.logsIngestedGb": [0.5, "GB ingested (standard class)", "cloudwatch", "AmazonCloudWatch:DataProcessing-Bytes"],
      "cloudwatch.vendedLogsIngestedGb": [0.5, "GB of vended logs ingested (first 10 TB)", "cloudwatch", "AmazonCloudWatch:VendedLog-Bytes"],
    },
  },
  "eu-west-1": {
    prefix: "EU",
    prices: {
      "kinesis.shardHour": [0.015, "shard-hour", "kinesis", "AmazonKinesis:Storage-ShardHour"],
      "kinesis.putPayloadUnitsMillion": [0.014, "million PUT payload units (25 KB each)", "kinesis", "AmazonKinesis:PutRequestPayloadUnits"],
      "kinesis.extendedRetentionShardHour": [0.02, "shard-hour of retention beyond 24 h (up to 7 days)", "kinesis", "AmazonKinesis:Extended-ShardHour"],
      "kinesis.longTermRetentionGbMonth": [0.023, "GB-month kept beyond 7 days", "kinesis", "AmazonKinesis:LongTermRetention-ByteHrs"],
      "kinesis.onDemandStreamHour": [0.04, "on-demand stream-hour", "kinesis", "AmazonKinesis:OnDemand-StreamHour"],
      "kinesis.onDemandDataInGb": [0.08, "GB written (records rounded up to 1 KB)", "kinesis", "AmazonKinesis:OnDemand-BilledIncomingBytes"],
      "kinesis.onDemandDataOutGb": [0.04, "GB read", "kinesis", "AmazonKinesis:OnDemand-BilledOutgoingBytes"],
      "kinesis.onDemandExtendedRetentionGbMonth": [0.1, "GB-month kept beyond 24 h (up to 7 days)", "kinesis", "AmazonKinesis:OnDemand-ExtendedRetention-ByteHrs"],
      "vpc.interfaceEndpointAzHour": [0.011, "interface endpoint-hour per AZ", "privatelink", "AmazonVPC:VpcEndpoint-Hours"],
      "vpc.interfaceEndpointDataGb": [0.01, "GB processed (first 1 PB)", "privatelink", "AmazonVPC:VpcEndpoint-Bytes", SEEN.privatelinkData],
      "vpc.natGatewayHour": [0.048, "NAT gateway-hour", "vpc", "AmazonEC2:NatGateway-Hours"],
      "vpc.natGatewayDataGb": [0.048, "GB processed", "vpc", "AmazonEC2:NatGateway-Bytes"],
      "redshift.serverlessRpuHour": [0.375, "RPU-hour (per second, 60 s minimum)", "redshift", "AmazonRedshift:Redshift:ServerlessUsage"],
      "redshift.managedStorageGbMonth": [0.024, "GB-month of managed storage", "redshift", "AmazonRedshift:RMS:Serverless"],
      "cloudwatch.logsIngestedGb": [0.57, "GB ingested (standard class)", "cloudwatch", "AmazonCloudWatch:DataProcessing-Bytes"],
      "cloudwatch.vendedLogsIngestedGb": [0.57, "GB of vended logs ingested (first 10 TB)", "cloudwatch", "AmazonCloudWatch:VendedLog-Bytes"],
    },
  },
};

function regionPrices(prefix: string, prices: Partial<Record<PriceKey, PriceSpec>>): RegionPrices {
  const all = { ...SAME_EVERYWHERE, ...prices };
  const entries = PRICE_KEYS.map((key) => {
    const spec = all[key];
    if (!spec) throw new Error(`price table: ${key} has no price for the ${prefix} region`);
    const [usd, unit, page, usageType, seenIn] = spec;
    const [service, type] = usageType.split(":", 2) as [string, string];
    const price: Price = { usd, unit, source: PAGES[page], asOf: AS_OF, usageType: `${service}:${prefix ? `${prefix}-` : ""}${type}`, ...(seenIn ? { seenIn } : {}) };
    return [key, price] as const;
  });
  return Object.fromEntries(entries) as RegionPrices;
}

export const PRICE_TABLE: PriceTable = {
  currency: "USD",
  asOf: AS_OF,
  regions: Object.fromEntries(Object.entries(BY_REGION).map(([region, { prefix, prices }]) => [region, regionPrices(prefix, prices)])),
};
