import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, compileContract, contractJson, referenceObjectKey, sha256 } from "./contract";
import { REFERENCE_DATA_DIR } from "./reference-files";
import type { PipelineDefinition } from "./types";
import { validatePipelines } from "./validate";

export { REFERENCE_DATA_DIR, referenceFileColumns } from "./reference-files";

/** A bundled reference file, ready to ship to the reference bucket. */
export interface ReferenceFile {
  readonly reference: string;
  /** Absolute path in the repository. */
  readonly path: string;
  /** Key in the reference bucket (the contract points the jobs there). */
  readonly key: string;
  readonly sha256: string;
}

/** A validated pipeline with everything derived from it that modules need. */
export interface CompiledPipeline {
  readonly name: string;
  readonly definition: PipelineDefinition;
  readonly contract: Contract;
  /** The contract's exact bytes. */
  readonly contractJson: string;
  /** SHA-256 of those bytes: the contract's object key, so that a change shows in the plan. */
  readonly contractSha256: string;
  readonly referenceFiles: readonly ReferenceFile[];
}

export function compilePipeline(definition: PipelineDefinition, dir = REFERENCE_DATA_DIR): CompiledPipeline {
  const contract = compileContract(definition);
  const json = contractJson(contract);
  const referenceFiles = (definition.references ?? []).flatMap((ref) => {
    if (ref.source.kind !== "file") return [];
    const path = join(dir, ref.source.file);
    return [{ reference: ref.name, path, key: referenceObjectKey(definition.name, ref.name, ref.source.file), sha256: sha256(readFileSync(path)) }];
  });
  return { name: definition.name, definition, contract, contractJson: json, contractSha256: sha256(json), referenceFiles };
}

/** Validates all definitions (every problem at once), then compiles each. */
export function compilePipelines(definitions: readonly unknown[], environmentNames: readonly string[], dir = REFERENCE_DATA_DIR): CompiledPipeline[] {
  const valid = validatePipelines(definitions, { environmentNames, referenceDir: dir });
  return valid.map((definition) => compilePipeline(definition, dir));
}
