import { PIPELINE_DEFINITIONS, resolvePipelineSettings } from "../../pipelines";
import { estimateEnvironment, warehouseCadence } from "../../tools/cost/estimate";
import { environmentFacts, warehouseLoadsPerHour, type FactsInput } from "../../tools/cost/facts";
import { resourcesOfStack, type SynthResource } from "../../tools/cost/synthesized";
import { synthEnvironment } from "../helpers/synth";

/**
 * The warehouse load's cadence in the estimate: loads an hour from each streaming job's own
 * `--warehouse_load_interval_minutes` and window, and what they keep Redshift busy against a load
 * every window. Figures worked out here by hand.
 */

const factsInput = (name: string): FactsInput => {
  const { environment } = synthEnvironment(name);
  return {
    environment: name,
    region: environment.account.region,
    jobMode: environment.streaming.jobs,
    profile: environment.usage,
    baselineWorkers: environment.streaming.workers,
    defaultWindowSeconds: environment.streaming.windowSeconds,
  };
};

const streamingJob = (pipeline: string, args: Record<string, string>): SynthResource => ({
  stack: "s",
  module: "streaming",
  type: "aws_glue_job",
  address: `aws_glue_job.${pipeline}`,
  path: `streaming/${pipeline}/streaming-job`,
  config: { name: `dp-t-${pipeline}-streaming`, command: { name: "gluestreaming" }, default_arguments: { "--window_seconds": "100", ...args } },
});

describe("the warehouse load cadence", () => {
  it("loads once the oldest batch waited the interval, which it does in whole windows after the next batch", () => {
    expect(warehouseLoadsPerHour(15, 100)).toBeCloseTo(3600 / (100 + 900), 9);
    expect(warehouseLoadsPerHour(5, 60)).toBeCloseTo(3600 / (60 + 300), 9);
    expect(warehouseLoadsPerHour(1, 100)).toBeCloseTo(3600 / (100 + 100), 9); // shorter than a window: every other window
    expect(warehouseLoadsPerHour(0, 100)).toBeCloseTo(36, 9); // 0: every window
  });

  it.each(["dev", "stage", "prod"])("%s: reads each loading streaming job's interval and window from its synthesized arguments", (name) => {
    const { environment, stacks } = synthEnvironment(name);
    const resources = stacks.flatMap((stack) => resourcesOfStack(stack.stackName, stack.json, stack.kind === "bootstrap" ? "bootstrap" : undefined));
    const facts = environmentFacts(resources, factsInput(name));
    const loading = PIPELINE_DEFINITIONS.filter((def) => def.warehouse !== undefined && resolvePipelineSettings(def, environment).enabled);
    expect(loading.length).toBeGreaterThan(0);
    const interval = environment.warehouse.loadIntervalMinutes * 60;
    const expected = Object.fromEntries(loading.map((def) => {
      const window = resolvePipelineSettings(def, environment).windowSeconds;
      return [def.name, 3600 / (window * (1 + Math.ceil(interval / window)))];
    }));
    expect(Object.keys(facts.warehouseLoadsPerHourByPipeline).sort()).toEqual(Object.keys(expected).sort());
    for (const [pipeline, perHour] of Object.entries(expected)) expect(facts.warehouseLoadsPerHourByPipeline[pipeline]).toBeCloseTo(perHour, 9);
  });

  it("counts a job synthesized before the cadence as loading every window, and a job without a warehouse not at all", () => {
    const facts = environmentFacts(
      [
        streamingJob("cadenced", { "--warehouse_enabled": "true", "--warehouse_load_interval_minutes": "15" }),
        streamingJob("older", { "--warehouse_enabled": "true" }),
        streamingJob("lake_only", { "--warehouse_enabled": "false" }),
      ],
      factsInput("dev"),
    );
    expect(facts.warehouseLoadsPerHourByPipeline).toEqual({ cadenced: 3.6, older: 36 });
  });

  it("dev: an hour of both streaming jobs with data keeps Redshift busy minutes, not most of the hour", () => {
    const { environment, stacks } = synthEnvironment("dev");
    const resources = stacks.flatMap((stack) => resourcesOfStack(stack.stackName, stack.json, stack.kind === "bootstrap" ? "bootstrap" : undefined));
    const facts = environmentFacts(resources, factsInput("dev"));
    // Two jobs, 100 s windows, 15 minutes: 3.6 loads an hour each, 60 s at least each, overlapping ones billed once.
    expect([environment.warehouse.loadIntervalMinutes, environment.streaming.windowSeconds, environment.warehouse.baseCapacityRpu]).toEqual([15, 100, 8]);
    const busyMinutes = (loads: number) => 60 * (1 - Math.exp(-(loads * 60) / 3600));
    const cadence = warehouseCadence(facts, 8);
    expect(cadence.loadsPerHour).toBeCloseTo(7.2, 9);
    expect(cadence.busyMinutesPerHour).toBeCloseTo(busyMinutes(7.2), 6);
    expect(cadence.rpuHoursPerHour).toBeCloseTo((busyMinutes(7.2) / 60) * 8, 6);
    expect(cadence.everyWindowPerHour).toBeCloseTo(72, 9);
    expect(cadence.everyWindowBusyMinutesPerHour).toBeCloseTo(busyMinutes(72), 6);
    expect(cadence.busyMinutesPerHour).toBeLessThan(cadence.everyWindowBusyMinutesPerHour / 6);
    const note = estimateEnvironment(environment, resources).assumptions.find((a) => a.startsWith("Warehouse loads:"));
    expect(note).toContain(`warehouse.loadIntervalMinutes (15 min)`);
    expect(note).toContain(`7.2 loads keep the workgroup busy about ${busyMinutes(7.2).toFixed(1)} min`);
    expect(note).toContain(`busy ${busyMinutes(72).toFixed(1)} min`);
  });
});
