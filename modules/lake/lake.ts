import { Construct } from "constructs";
import { ARTIFACT_PREFIXES, LAKE_ZONES, LakeProps, LakeZone } from "./lake-props";
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

    const zoneSettings = zoneBucketSettings(props);
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
  }
}

type ZoneSettings = Pick<
  SecureBucketProps,
  "expireAfterDays" | "intelligentTieringAfterDays" | "prefixExpirations" | "eventBridge" | "receivesAccessLogs"
>;

/** Lifecycle and notifications per zone: what each zone holds decides how long it keeps it. */
export function zoneBucketSettings(props: Pick<LakeProps, "retention">): Record<LakeZone, ZoneSettings> {
  const r = props.retention;
  return {
    raw: { expireAfterDays: r.rawDays, intelligentTieringAfterDays: r.intelligentTieringAfterDays, eventBridge: true },
    curated: { expireAfterDays: r.curatedDays, intelligentTieringAfterDays: r.intelligentTieringAfterDays, eventBridge: true },
    reference: {},
    quarantine: { expireAfterDays: r.quarantineDays },
    // Checkpoints must outlive any retention: losing one replays the whole stream.
    artifacts: { prefixExpirations: [{ prefix: ARTIFACT_PREFIXES.temp, expireAfterDays: r.tempDays }] },
    athenaResults: { expireAfterDays: r.athenaResultsDays },
    accessLogs: { expireAfterDays: r.accessLogDays, receivesAccessLogs: true },
  };
}
