import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { Namer } from "../lib/naming";
import { LAKE_ZONES, Lake, LakeZone } from "../modules/lake";
import { addArchiveProvider, addAwsProvider, addStateBackend } from "./providers";

export interface PlatformStackProps {
  /** A validated environment. */
  readonly environment: Environment;
}

/** One environment of the platform: composes the modules and maps configuration to their props. */
export class PlatformStack extends TerraformStack {
  readonly namer: Namer;
  readonly lake: Lake;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const env = props.environment;
    addAwsProvider(this, env);
    addArchiveProvider(this);
    addStateBackend(this, env);
    this.namer = new Namer(env.name, env.account.id, env.account.region);

    this.lake = new Lake(this, "lake", {
      bucketNames: lakeBucketNames(this.namer),
      keyAlias: this.namer.name("kmsAlias", "platform"),
      accountId: env.account.id,
      region: env.account.region,
      retention: env.retention,
      forceDestroy: env.protection.forceDestroy,
      preventDestroy: env.protection.preventDestroy,
      kmsDeletionWindowDays: env.protection.kmsDeletionWindowDays,
    });
  }
}

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
