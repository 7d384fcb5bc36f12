/**
 * Names of the core stack's resources that pipeline stacks (and bootstrap's CI scope) name too: one
 * function each, which the core passes to its modules and `core-interface.ts` uses on the other
 * side, so the two cannot drift apart.
 */
import { Namer } from "../lib/naming";
import { ARTIFACT_PREFIXES, LAKE_ZONES, LakeZone } from "../modules/lake";

const ZONE_BUCKET_PURPOSE: Record<LakeZone, string> = {
  raw: "raw",
  curated: "curated",
  reference: "reference",
  quarantine: "quarantine",
  artifacts: "artifacts",
  athenaResults: "athena-results",
  accessLogs: "access-logs",
};

export function lakeBucketNames(namer: Namer): Record<LakeZone, string> {
  return Object.fromEntries(LAKE_ZONES.map((zone) => [zone, namer.bucket(ZONE_BUCKET_PURPOSE[zone])])) as Record<LakeZone, string>;
}

export const warehouseNamespaceName = (namer: Namer): string => namer.name("redshiftNamespace", "warehouse");

/** The database users' secrets (their values come from the rotation function, never from Terraform). */
export function warehouseSecretNames(namer: Namer): { etlWriter: string; biReader: string } {
  return { etlWriter: namer.name("secret", "warehouse", "etl-writer"), biReader: namer.name("secret", "warehouse", "bi-reader") };
}

/** The warehouse's names that the jobs and migrations of a pipeline use. */
export function warehouseNames(namer: Namer) {
  return {
    namespace: warehouseNamespaceName(namer),
    workgroup: namer.name("redshiftWorkgroup", "warehouse"),
    glueConnection: namer.name("glueConnection", "warehouse"),
    secrets: warehouseSecretNames(namer),
    /** In the artifacts bucket: where the Redshift connector stages files. */
    tempPrefix: `${ARTIFACT_PREFIXES.temp}redshift/`,
  };
}

export const alarmTopicName = (namer: Namer): string => namer.name("snsTopic", "alarms");
