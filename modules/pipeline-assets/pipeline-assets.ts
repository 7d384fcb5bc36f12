import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { PipelineAssetsProps } from "./pipeline-assets-props";

/** Where one pipeline's contract was shipped. */
export interface ShippedContract {
  readonly key: string;
  /** `s3://<artifacts>/<key>`: the `--contract_uri` of the pipeline's jobs. */
  readonly uri: string;
}

/**
 * Ships each pipeline's contract (content-addressed: the key is the document's SHA-256) and its
 * bundled reference files (same key in every environment, change detected by content hash).
 */
export class PipelineAssets extends Construct {
  readonly contracts: Readonly<Record<string, ShippedContract>>;
  /** Reference object keys per pipeline, in the reference bucket. */
  readonly referenceKeys: Readonly<Record<string, readonly string[]>>;

  constructor(scope: Construct, id: string, props: PipelineAssetsProps) {
    super(scope, id);
    const prefix = props.contractPrefix ?? "contracts/";
    const contracts: Record<string, ShippedContract> = {};
    const referenceKeys: Record<string, string[]> = {};
    for (const pipeline of props.pipelines) {
      const key = contractKey(prefix, pipeline.name, pipeline.contractSha256);
      new S3Object(this, `${pipeline.name}-contract`, {
        bucket: props.artifactsBucketName,
        key,
        content: pipeline.contractJson,
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId: props.kmsKeyArn,
      });
      contracts[pipeline.name] = { key, uri: `s3://${props.artifactsBucketName}/${key}` };
      referenceKeys[pipeline.name] = pipeline.referenceFiles.map((file) => {
        const asset = new TerraformAsset(this, `${pipeline.name}-${file.key.replace(/[^\w]+/g, "-")}-asset`, { path: file.path, type: AssetType.FILE });
        new S3Object(this, `${pipeline.name}-${file.key.replace(/[^\w]+/g, "-")}`, {
          bucket: props.referenceBucketName,
          key: file.key,
          source: asset.path,
          sourceHash: file.sha256,
          serverSideEncryption: "aws:kms",
          kmsKeyId: props.kmsKeyArn,
        });
        return file.key;
      });
    }
    this.contracts = contracts;
    this.referenceKeys = referenceKeys;
  }
}

export function contractKey(prefix: string, pipeline: string, sha256: string): string {
  return `${prefix}${pipeline}/${sha256}.json`;
}
