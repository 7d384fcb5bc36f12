import { readFileSync } from "node:fs";
import { PlanInputError } from "./parse";

/** Reads a plan file, turning I/O errors into a PlanInputError that says what went wrong. */
export function readPlanFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new PlanInputError(`cannot read the file: ${(error as Error).message}`);
  }
}
