import { athenaRules } from "./rules/athena";
import { everythingRules } from "./rules/everything";
import { keysAndLogsRules } from "./rules/keys-logs";
import { orchestrationRules } from "./rules/orchestration";
import { storageRules } from "./rules/storage";
import { PolicyRule } from "./types";

export * from "./types";
export * from "./harness";

/** Every rule of `policy-rules.md` the suite enforces; each module's issue adds its section here. */
export const ALL_RULES: readonly PolicyRule[] = [...storageRules, ...keysAndLogsRules, ...everythingRules, ...orchestrationRules, ...athenaRules];
