import type { WarehouseProps } from "../../modules/warehouse";

/** Sound warehouse props for tests that build the module on its own; tests change one field. */
export const TEST_WAREHOUSE_PROPS: WarehouseProps = {
  namespaceName: "dp-test-warehouse",
  workgroupName: "dp-test-warehouse",
  accountId: "111122223333",
  region: "eu-west-1",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
  baseCapacityRpu: 8,
  maxCapacityRpu: 16,
  usageLimits: [{ period: "daily", rpuHours: 8, breachAction: "log" }],
  subnetIds: ["s-1", "s-2", "s-3"],
  subnetAvailabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  redshiftSecurityGroupId: "sg-r",
  glueSecurityGroupId: "sg-g",
  glueConnectionName: "dp-test-warehouse",
  redshiftRoleName: "dp-test-redshift",
  secretNames: { etlWriter: "dp-test-etl", biReader: "dp-test-bi" },
  rotationFunctionName: "dp-test-warehouse-credential-rotation",
  rotationRoleName: "dp-test-warehouse-rotation",
  rotationLogGroupName: "/aws/lambda/dp-test/warehouse-credential-rotation",
  logRetentionDays: 14,
  curatedBucketName: "curated",
  tempBucketName: "artifacts",
  tempPrefix: "temp/redshift/",
  spectrumDatabasePatterns: ["dp_test_*"],
  pipelines: [],
};
