import { Arns } from "../../lib/arn";
import { PolicyDocument, allow, policyDocument } from "../../lib/iam";

export interface RedshiftRolePolicyInput {
  readonly accountId: string;
  readonly region: string;
  readonly curatedBucketName: string;
  readonly tempBucketName: string;
  /** Ends in `/`. */
  readonly tempPrefix: string;
  readonly spectrumDatabasePatterns: readonly string[];
  readonly kmsKeyArn: string;
}

/** Glue catalog reads Spectrum makes to plan a query over the lake. */
export const SPECTRUM_CATALOG_ACTIONS = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"];

/**
 * The namespace's default role: COPY and Spectrum read the curated zone; COPY/UNLOAD (and Glue's
 * Redshift connector) use the temp prefix; the platform key decrypts and encrypts both.
 */
export function redshiftRolePolicy(input: RedshiftRolePolicyInput): PolicyDocument {
  const arns = new Arns(input.accountId, input.region);
  return policyDocument(
    allow("ListCurated", ["s3:GetBucketLocation", "s3:ListBucket"], [arns.s3Bucket(input.curatedBucketName)]),
    allow("ReadCurated", ["s3:GetObject"], [arns.s3Objects(input.curatedBucketName)]),
    allow("ListTemp", ["s3:ListBucket"], [arns.s3Bucket(input.tempBucketName)], { StringLike: { "s3:prefix": [`${input.tempPrefix}*`] } }),
    allow("LocateTemp", ["s3:GetBucketLocation"], [arns.s3Bucket(input.tempBucketName)]),
    allow("UseTemp", ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"], [arns.s3Objects(input.tempBucketName, input.tempPrefix)]),
    allow(
      "ReadCatalogForSpectrum",
      SPECTRUM_CATALOG_ACTIONS,
      [
        arns.glue("catalog"),
        ...input.spectrumDatabasePatterns.map((p) => arns.glue(`database/${p}`)),
        ...input.spectrumDatabasePatterns.map((p) => arns.glue(`table/${p}/*`)),
      ],
    ),
    allow("UsePlatformKey", ["kms:Decrypt", "kms:GenerateDataKey"], [input.kmsKeyArn]),
  );
}
