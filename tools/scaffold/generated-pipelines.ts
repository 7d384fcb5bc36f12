/**
 * Pipelines as a team adds them: `npm run new-pipeline`'s own definition source, written to files
 * and loaded. The bench synthesizes fifty of them beside the samples; the tests add one and check
 * that no core stack changes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PipelineDefinition } from "../../pipelines/types";
import { constantName, definitionSource, fileName } from "./pipeline-template";

const TYPES_MODULE = join(__dirname, "..", "..", "pipelines", "types");

/** `generated_001`, `generated_002`, …: valid names that no sample uses. */
export const generatedPipelineName = (index: number): string => `generated_${String(index).padStart(3, "0")}`;

/**
 * `count` scaffolded definitions, written under `dir` (a fresh temporary directory by default) and
 * loaded through the running process's TypeScript loader (`tools/register.js`, or jest's).
 */
export function generatedPipelines(count: number, dir = mkdtempSync(join(tmpdir(), "dp-generated-pipelines-")), owner = "bench-team"): PipelineDefinition[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const name = generatedPipelineName(i + 1);
    const file = join(dir, `${fileName(name)}.ts`);
    writeFileSync(file, definitionSource(name, owner, TYPES_MODULE));
    return (require(file) as Record<string, PipelineDefinition>)[constantName(name)];
  });
}
