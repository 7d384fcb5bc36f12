import { block } from "../harness";
import { PolicyRule } from "../types";

/** Athena refuses a smaller cutoff. */
export const ATHENA_MIN_CUTOFF_BYTES = 10_485_760;
const KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

export const athenaRules: PolicyRule[] = [
  {
    id: "ATH-ENC",
    description: "Athena workgroup results encrypted with KMS",
    references: ["CKV_AWS_159", "AwsSolutions-ATH1"],
    resourceTypes: ["aws_athena_workgroup"],
    check: (workgroup) => {
      const encryption = block(block(block(workgroup!.config.configuration)?.result_configuration)?.encryption_configuration);
      if (!encryption) return ["results have no encryption_configuration"];
      const problems: string[] = [];
      if (!KMS_OPTIONS.includes(String(encryption.encryption_option))) problems.push(`encryption_option is ${JSON.stringify(encryption.encryption_option)}, not ${KMS_OPTIONS.join(" or ")}`);
      if (!encryption.kms_key_arn) problems.push("no kms_key_arn: results would not use the platform key");
      return problems;
    },
  },
  {
    id: "ATH-ENF",
    description: "enforce_workgroup_configuration = true and a bytes-scanned cutoff per query",
    references: ["CKV_AWS_82"],
    resourceTypes: ["aws_athena_workgroup"],
    check: (workgroup) => {
      const configuration = block(workgroup!.config.configuration);
      const problems: string[] = [];
      if (configuration?.enforce_workgroup_configuration !== true) problems.push("enforce_workgroup_configuration is not true: clients could override encryption and location");
      const cutoff = configuration?.bytes_scanned_cutoff_per_query;
      if (typeof cutoff !== "number" || cutoff < ATHENA_MIN_CUTOFF_BYTES) problems.push(`bytes_scanned_cutoff_per_query is ${JSON.stringify(cutoff)}: set one of at least ${ATHENA_MIN_CUTOFF_BYTES}`);
      return problems;
    },
  },
];
