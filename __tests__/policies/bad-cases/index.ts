import { BadCase } from "./builders";
import { catalogBadCases } from "./catalog";
import { foundationBadCases } from "./foundation";

/** Every rule's failing case; a rule without one is a rule nobody has seen fail. */
export const BAD_CASES: Record<string, BadCase> = {
  ...foundationBadCases,
  ...catalogBadCases,
};
