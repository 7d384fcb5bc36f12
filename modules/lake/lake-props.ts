import type { SecretReaderKeyGrant } from "./key-policy";
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

/** Days each zone keeps its data. */
export interface LakeRetention {
  /** Raw files dropped for the batch jobs. Required. */
  readonly rawDays: number;
  /** Curated Parquet. @default kept forever */
  readonly curatedDays?: number;
  /** Records that failed validation. Required. */
  readonly quarantineDays: number;
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
  /** Roles outside the platform that may decrypt one secret with the platform key (QuickSight's). @default none */
  readonly keySecretReaders?: readonly SecretReaderKeyGrant[];
}
