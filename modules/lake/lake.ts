import { Construct } from "constructs";
import { Arns } from "../../lib/arn";
import { ARTIFACT_PREFIXES, LAKE_ZONES, LakeProps, LakeZone, QUARANTINE_PAYLOAD_PREFIX, REPLAY_PREFIX } from "./lake-props";
import { QuarantineOperator } from "./quarantine-operator";
import { PlatformKey } from "./platform-key";
import { SecureBucket } from "./secure-bucket";
import { SecureBucketProps } from "./secure-bucket-props";

/**
 * The platform's storage: its KMS key and one secure bucket per zone. Raw and curated send their
 * object events to EventBridge: raw for the batch jobs, curated for catalog automation.
 */
export class Lake extends Construct {
  readonly key: PlatformKey;
  /** The platform key's ARN: every module encrypts with it. */
  readonly kmsKeyArn: string;
  readonly buckets: Readonly<Record<LakeZone, SecureBucket>>;
  /** The role that reads quarantined payloads and replays corrected ones, where configured. */
  readonly quarantineOperator?: QuarantineOperator;

  constructor(scope: Construct, id: string, props: LakeProps) {
    super(scope, id);
    const preventDestroy = props.preventDestroy ?? true;
    this.key = new PlatformKey(this, "platform-key", {
      aliasName: props.keyAlias,
      accountId: props.accountId,
      region: props.region,
      deletionWindowDays: props.kmsDeletionWindowDays,
      secretReaders: props.keySecretReaders,
      preventDestroy,
    });
    this.kmsKeyArn = this.key.keyArn;

    const zoneSettings = zoneBucketSettings(props, props.quarantineOperator && new Arns(props.accountId, props.region).iamRole(props.quarantineOperator.roleName));
    const buckets = {} as Record<LakeZone, SecureBucket>;
    // The access-logs bucket first: every other bucket's logging refers to it.
    for (const zone of ["accessLogs", ...LAKE_ZONES.filter((z) => z !== "accessLogs")] as LakeZone[]) {
      buckets[zone] = new SecureBucket(this, zone, {
        bucketName: props.bucketNames[zone],
        accountId: props.accountId,
        region: props.region,
        kmsKeyArn: this.kmsKeyArn,
        accessLogBucket: zone === "accessLogs" ? undefined : buckets.accessLogs,
        noncurrentVersionDays: props.retention.noncurrentVersionDays,
        forceDestroy: props.forceDestroy ?? false,
        preventDestroy,
        ...zoneSettings[zone],
      });
    }
    this.buckets = buckets;
    if (props.quarantineOperator) {
      this.quarantineOperator = new QuarantineOperator(this, "quarantine-operator", {
        ...props.quarantineOperator,
        accountId: props.accountId,
        region: props.region,
        kmsKeyArn: this.kmsKeyArn,
        quarantineBucketName: props.bucketNames.quarantine,
        rawBucketName: props.bucketNames.raw,
        payloadPrefix: QUARANTINE_PAYLOAD_PREFIX,
        replayPrefix: REPLAY_PREFIX,
      });
    }
  }
}

type ZoneSettings = Pick<
  SecureBucketProps,
  "expireAfterDays" | "intelligentTieringAfterDays" | "prefixExpirations" | "eventBridge" | "receivesAccessLogs" | "restrictedPrefixes"
>;

/** Lifecycle and notifications per zone: what each zone holds decides how long it keeps it. */
export function zoneBucketSettings(props: Pick<LakeProps, "retention" | "quarantinePayloadReaderArns" | "quarantineOperator">, operatorRoleArn?: string): Record<LakeZone, ZoneSettings> {
  const r = props.retention;
  const payloadReaders = [...props.quarantinePayloadReaderArns, ...(operatorRoleArn ? [operatorRoleArn] : [])];
  return {
    raw: { expireAfterDays: r.rawDays, intelligentTieringAfterDays: r.intelligentTieringAfterDays, eventBridge: true },
    curated: { expireAfterDays: r.curatedDays, intelligentTieringAfterDays: r.intelligentTieringAfterDays, eventBridge: true },
    reference: {},
    // Raw payloads: only the replay path and the operator read them, and they go sooner.
    quarantine: {
      expireAfterDays: r.quarantineDays,
      prefixExpirations: [{ prefix: QUARANTINE_PAYLOAD_PREFIX, expireAfterDays: r.quarantinePayloadDays }],
      restrictedPrefixes: [{ prefix: QUARANTINE_PAYLOAD_PREFIX, readerArns: payloadReaders }],
    },
    // Checkpoints must outlive any retention: losing one replays the whole stream.
    artifacts: { prefixExpirations: [{ prefix: ARTIFACT_PREFIXES.temp, expireAfterDays: r.tempDays }] },
    athenaResults: { expireAfterDays: r.athenaResultsDays },
    accessLogs: { expireAfterDays: r.accessLogDays, receivesAccessLogs: true },
  };
}
