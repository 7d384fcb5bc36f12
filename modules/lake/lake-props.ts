import type { SecretReaderKeyGrant } from "./key-policy";
import type { QuarantineOperatorProps } from "./quarantine-operator-props";
/** The lake's buckets, one per zone or purpose. */
export const LAKE_ZONES = ["raw", "curated", "reference", "quarantine", "artifacts", "athenaResults", "accessLogs"] as const;
export type LakeZone = (typeof LAKE_ZONES)[number];

/** Where things live inside the artifacts bucket; every module that writes there uses these. */
export const ARTIFACT_PREFIXES = {
  scripts: "scripts/",
  libraries: "libraries/",
  contracts: "contracts/",
  checkpoints: "checkpoints/",
  temp: "temp/",
  sparkUi: "spark-ui/",
} as const;

/**
 * Where the quarantine keeps raw payloads (`<prefix><pipeline>/`), apart from the analyst-facing
 * rows under `<pipeline>/`: a pipeline name never contains a hyphen, so the two never meet.
 */
export const QUARANTINE_PAYLOAD_PREFIX = "raw-payloads/";
/** Where operators put corrected payloads for the batch job to replay: `<pipeline>/<prefix>` in the raw zone. */
export const REPLAY_PREFIX = "replays/";

/** Days each zone keeps its data. */
export interface LakeRetention {
  /** Raw files dropped for the batch jobs. Required. */
  readonly rawDays: number;
  /** Curated Parquet. @default kept forever */
  readonly curatedDays?: number;
  /** Records that failed validation (the analyst-facing rows). Required. */
  readonly quarantineDays: number;
  /** Raw payloads of quarantined records (shorter than `quarantineDays`). Required. */
  readonly quarantinePayloadDays: number;
  /** Glue temp dirs and Redshift unload staging under `temp/`. Required. */
  readonly tempDays: number;
  /** Server access logs. Required. */
  readonly accessLogDays: number;
  /** Athena query results. Required. */
  readonly athenaResultsDays: number;
  /** Noncurrent object versions, in every bucket. Required. */
  readonly noncurrentVersionDays: number;
  /** Raw and curated objects move to Intelligent-Tiering after this many days. Required. */
  readonly intelligentTieringAfterDays: number;
}

export interface LakeProps {
  /** Bucket name per zone (see `Namer.bucket`). Required. */
  readonly bucketNames: Readonly<Record<LakeZone, string>>;
  /** Alias of the platform key, without `alias/`. Required. */
  readonly keyAlias: string;
  /** Owning account. Required. */
  readonly accountId: string;
  /** Region. Required. */
  readonly region: string;
  /** Retention per zone. Required. */
  readonly retention: LakeRetention;
  /** `terraform destroy` may empty buckets: disposable environments only. @default false */
  readonly forceDestroy?: boolean;
  /** `prevent_destroy` on the key and every bucket. @default true */
  readonly preventDestroy?: boolean;
  /** Waiting period before the key is deleted. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /**
   * Who may read the quarantine's raw payloads: ARN patterns of the jobs' roles (they publish them)
   * and of the operator role; everyone else is denied by the bucket policy. Required.
   */
  readonly quarantinePayloadReaderArns: readonly string[];
  /** The quarantine operator role (who may assume it and how). @default none: no operator role */
  readonly quarantineOperator?: QuarantineOperatorProps;
  /** Roles outside the platform that may decrypt one secret with the platform key (QuickSight's). @default none */
  readonly keySecretReaders?: readonly SecretReaderKeyGrant[];
}
