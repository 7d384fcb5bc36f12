export interface GlueScriptsProps {
  /** Bucket the code is shipped to (the artifacts bucket). Required. */
  readonly artifactsBucketName: string;
  /** Platform key: every object is SSE-KMS with it. Required. */
  readonly kmsKeyArn: string;
  /** Key prefix of the entry scripts. Required (the lake's `ARTIFACT_PREFIXES.scripts`). */
  readonly scriptPrefix: string;
  /** Key prefix of the zipped library. Required (the lake's `ARTIFACT_PREFIXES.libraries`). */
  readonly libraryPrefix: string;
  /**
   * The `glue-jobs/` directory: entry scripts at its top, the library package in `platform_etl/`.
   * A prop so that tests can ship a modified copy. @default the repository's `glue-jobs/`
   */
  readonly sourceDir?: string;
}
