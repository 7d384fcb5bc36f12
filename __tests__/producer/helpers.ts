import { transformSync } from "@swc/core";
import { loadEnvironments } from "../../environments";
import { Contract, compileContract } from "../../pipelines/contract";
import { CompiledPipeline, PipelineDefinition, definePipeline, loadPipelines } from "../../pipelines";
import { definitionSource } from "../../tools/scaffold/pipeline-template";
import type { GeneratorInputs } from "../../tools/producer/generate";
import { loadCountryCodes, loadReferenceValues } from "../../tools/producer/reference-values";

export const environments = loadEnvironments();
export const pipelines = loadPipelines(environments.map((e) => e.name));

export function pipelineNamed(name: string): CompiledPipeline {
  const found = pipelines.find((p) => p.name === name);
  if (!found) throw new Error(`no pipeline ${name}`);
  return found;
}

export const ANCHOR = new Date("2026-03-07T05:00:00Z");

export function inputsFor(pipeline: CompiledPipeline, overrides: Partial<GeneratorInputs> = {}): GeneratorInputs {
  return {
    contract: pipeline.contract,
    seed: 42,
    anchor: ANCHOR,
    badRatio: 0,
    referenceValues: loadReferenceValues(pipeline),
    countryCodes: loadCountryCodes(),
    ...overrides,
  };
}

/**
 * A pipeline no generator was written for: every contract type, field names that match no rule,
 * an int event id, unknown fields allowed. Stands for what `npm run new-pipeline` scaffolds.
 */
export const unfamiliarContract = compileContract(
  definePipeline({
    name: "sensor_readings",
    owner: "iot-team",
    description: "Readings from greenhouse sensors",
    schema: {
      fields: [
        { name: "reading_no", type: "int", required: true, description: "Sequence number" },
        { name: "device", type: "string", required: true, maxLength: 12, description: "Device label" },
        { name: "celsius", type: "double", required: true, description: "Temperature" },
        { name: "humidity_ppm", type: "long", description: "Humidity" },
        { name: "price", type: "decimal(5,2)", description: "Cost of the reading" },
        { name: "calibrated", type: "boolean", description: "Calibrated since boot" },
        { name: "service_day", type: "date", description: "Last service" },
        { name: "taken_at", type: "timestamp", required: true, description: "When measured" },
      ],
      eventId: "reading_no",
      eventTime: "taken_at",
      allowUnknownFields: true,
    },
  }),
);

/** The contract of the pipeline `npm run new-pipeline` scaffolds, compiled from the template's own source. */
export function scaffoldedContract(): Contract {
  const source = definitionSource("clickstream_events", "web-team");
  const { code } = transformSync(source, { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } });
  const exported: Record<string, unknown> = {};
  // The template imports only definePipeline, an identity function.
  new Function("exports", "require", code)(exported, () => ({ definePipeline: (d: unknown) => d }));
  return compileContract(exported.clickstreamEvents as PipelineDefinition);
}
