import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHARED_SYNTH_DIR_VARIABLE, synthesizeInto } from "./synth";

/** Synthesizes every environment once per jest run; workers inherit the directory's path. */
export default function globalSetup(): void {
  const outdir = mkdtempSync(join(tmpdir(), "dp-test-synth-"));
  synthesizeInto(outdir);
  process.env[SHARED_SYNTH_DIR_VARIABLE] = outdir;
}
