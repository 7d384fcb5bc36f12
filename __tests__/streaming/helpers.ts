import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TerraformJson } from "../../policies";
import { resourcesOf } from "../helpers/synth";

export const GLUE_JOBS_DIR = join(__dirname, "..", "..", "glue-jobs");

/** Reads a `NAME = ("a", "b", ...)` tuple out of `job_args.py`, so the test follows the Python side. */
export function pythonTuple(name: string): string[] {
  const source = readFileSync(join(GLUE_JOBS_DIR, "platform_etl", "job_args.py"), "utf8");
  const match = new RegExp(`^${name}\\s*=\\s*\\(([^)]*)\\)`, "m").exec(source);
  if (!match) throw new Error(`job_args.py defines no tuple ${name}`);
  return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** Argument names (with `--`) a job of this kind requires, as `job_args.required_names` computes them. */
export function requiredArgumentNames(kind: "streaming" | "batch", warehouseEnabled: boolean): string[] {
  const warehouse = warehouseEnabled ? [...pythonTuple("WAREHOUSE_ARGS"), ...(kind === "streaming" ? pythonTuple("STREAMING_WAREHOUSE_ARGS") : [])] : [];
  const names = [...pythonTuple("COMMON_ARGS"), ...pythonTuple(kind === "streaming" ? "STREAMING_ARGS" : "BATCH_ARGS"), ...warehouse];
  // Glue passes JOB_NAME itself, from the job's name.
  return names.filter((n) => n !== "JOB_NAME").map((n) => `--${n}`);
}

export function jobNamed(json: TerraformJson, name: string): Record<string, any> {
  const found = resourcesOf(json, "aws_glue_job").find(([, job]) => job.name === name);
  if (!found) throw new Error(`no aws_glue_job named ${name}`);
  return found[1];
}

export function streamNamed(json: TerraformJson, name: string): Record<string, any> | undefined {
  return resourcesOf(json, "aws_kinesis_stream").find(([, s]) => s.name === name)?.[1];
}
