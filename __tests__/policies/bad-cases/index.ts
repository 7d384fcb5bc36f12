import { biBadCases } from "./bi";
import { BadCase } from "./builders";
import { catalogBadCases } from "./catalog";
import { costBadCases } from "./cost";
import { firstApplyBadCases } from "./first-apply";
import { foundationBadCases } from "./foundation";
import { identityBadCases } from "./identity";
import { streamingBadCases } from "./streaming";
import { warehouseBadCases } from "./warehouse";

/** Every rule's failing case; a rule without one is a rule nobody has seen fail. */
export const BAD_CASES: Record<string, BadCase> = {
  ...foundationBadCases,
  ...identityBadCases,
  ...biBadCases,
  ...streamingBadCases,
  ...warehouseBadCases,
  ...catalogBadCases,
  ...costBadCases,
  ...firstApplyBadCases,
};
