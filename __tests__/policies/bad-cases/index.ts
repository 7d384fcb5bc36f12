import { BadCase } from "./builders";
import { foundationBadCases } from "./foundation";
import { identityBadCases } from "./identity";

/** Every rule's failing case; a rule without one is a rule nobody has seen fail. */
export const BAD_CASES: Record<string, BadCase> = {
  ...foundationBadCases,
  ...identityBadCases,
};
