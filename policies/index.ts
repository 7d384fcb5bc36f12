import { athenaRules } from "./rules/athena";
import { biRules } from "./rules/bi";
import { combinationRules } from "./rules/combinations";
import { costRules } from "./rules/cost";
import { everythingRules } from "./rules/everything";
import { identityRules } from "./rules/identity";
import { keysAndLogsRules } from "./rules/keys-logs";
import { orchestrationRules } from "./rules/orchestration";
import { orderRules } from "./rules/order";
import { stateSecretRules } from "./rules/state-secrets";
import { storageRules } from "./rules/storage";
import { streamingRules } from "./rules/streaming";
import { trustSourceRules } from "./rules/trust-source";
import { warehouseRules } from "./rules/warehouse";
import { PolicyRule } from "./types";

export * from "./types";
export * from "./harness";

/** Every rule of `policy-rules.md` the suite enforces; each module's issue adds its section here. */
export const ALL_RULES: readonly PolicyRule[] = [
  ...storageRules,
  ...keysAndLogsRules,
  ...identityRules,
  ...streamingRules,
  ...warehouseRules,
  ...orchestrationRules,
  ...athenaRules,
  ...biRules,
  ...costRules,
  ...everythingRules,
  ...orderRules,
  ...stateSecretRules,
  ...combinationRules,
  ...trustSourceRules,
];
