/** One pipeline's files to ship: its contract and its bundled reference data. */
export interface PipelineAssetInput {
  /** Pipeline name. */
  readonly name: string;
  /** The contract document's exact bytes. */
  readonly contractJson: string;
  /** SHA-256 of `contractJson`; becomes the object key, so a change replaces the object. */
  readonly contractSha256: string;
  /** Bundled reference files: absolute path, target key, content hash. */
  readonly referenceFiles: readonly { readonly path: string; readonly key: string; readonly sha256: string }[];
}

export interface PipelineAssetsProps {
  /** Pipelines enabled in this environment. Required. */
  readonly pipelines: readonly PipelineAssetInput[];
  /** Bucket for contracts (and scripts). Required. */
  readonly artifactsBucketName: string;
  /** Bucket for reference data. Required. */
  readonly referenceBucketName: string;
  /** Platform key: every object is SSE-KMS with it. Required. */
  readonly kmsKeyArn: string;
  /** Key prefix for contracts in the artifacts bucket. @default "contracts/" */
  readonly contractPrefix?: string;
}
