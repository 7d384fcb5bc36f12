import type { Environment } from "../../environments";
import { ASSUMPTIONS, assumptionNotes } from "./assumptions";
import { environmentFacts, warehouseLoadsPerHour, type EnvironmentFacts } from "./facts";
import { busySeconds, FREE_TYPES, PRICERS, type Pricer } from "./pricers";
import { PRICE_TABLE, type PriceKey, type PriceTable, type RegionPrices } from "./price-table";
import { HOURS_PER_MONTH } from "./schedule";
import type { SynthResource } from "./synthesized";

export interface EstimateLine {
  readonly module: string;
  readonly address: string;
  readonly type: string;
  readonly item: string;
  readonly priceKey: PriceKey;
  readonly unitUsd: number;
  readonly unit: string;
  readonly floorQuantity: number;
  readonly profileQuantity: number;
  readonly floorUsd: number;
  readonly estimateUsd: number;
  readonly basis: string;
}

export interface ModuleTotal {
  readonly module: string;
  readonly floorUsd: number;
  readonly estimateUsd: number;
}

export interface EnvironmentEstimate {
  readonly environment: string;
  readonly region: string;
  readonly currency: "USD";
  readonly priceTableAsOf: string;
  /** A month with no data flowing. */
  readonly idleFloorUsd: number;
  /** A month at the environment's usage profile. */
  readonly estimateUsd: number;
  readonly streamingJobs: string;
  readonly modules: readonly ModuleTotal[];
  readonly lines: readonly EstimateLine[];
  /** Resources that bill nothing themselves, each with the reason. */
  readonly free: readonly { readonly module: string; readonly address: string; readonly type: string; readonly reason: string }[];
  /** Resources of types this tool cannot price: never counted as zero, always listed. */
  readonly unpriced: readonly { readonly module: string; readonly address: string; readonly type: string }[];
  readonly assumptions: readonly string[];
  /** Prices used whose figure was not confirmed in a cited copy when the table was recorded. */
  readonly unconfirmedPrices: readonly { readonly key: PriceKey; readonly usd: number; readonly unit: string; readonly source: string; readonly usageType: string }[];
}

export class PriceTableError extends Error {
  override readonly name = "PriceTableError";
}

/** The prices of a region, or an error naming the regions the table has. */
export function pricesFor(region: string, table: PriceTable = PRICE_TABLE): RegionPrices {
  const prices = table.regions[region];
  if (!prices) throw new PriceTableError(`the price table (${table.asOf}) has no prices for ${region}; it has ${Object.keys(table.regions).join(", ")}: add the region to tools/cost/price-table.ts`);
  return prices;
}

const usd = (n: number): number => Math.round(n * 10_000) / 10_000;

/** The estimate of one environment from its synthesized resources (platform and bootstrap). */
export function estimateEnvironment(env: Environment, resources: readonly SynthResource[], table: PriceTable = PRICE_TABLE, pricers: Readonly<Record<string, Pricer>> = PRICERS): EnvironmentEstimate {
  const prices = pricesFor(env.account.region, table);
  const facts = environmentFacts(resources, {
    environment: env.name,
    region: env.account.region,
    jobMode: env.streaming.jobs,
    profile: env.usage,
    baselineWorkers: env.streaming.workers,
    defaultWindowSeconds: env.streaming.windowSeconds,
  });
  const lines: EstimateLine[] = [];
  const free: EnvironmentEstimate["free"][number][] = [];
  const unpriced: EnvironmentEstimate["unpriced"][number][] = [];
  for (const r of [...resources].sort((a, b) => a.module.localeCompare(b.module) || a.address.localeCompare(b.address))) {
    const pricer = pricers[r.type];
    if (!pricer) {
      const reason = FREE_TYPES[r.type];
      if (reason) free.push({ module: r.module, address: r.address, type: r.type, reason });
      else unpriced.push({ module: r.module, address: r.address, type: r.type });
      continue;
    }
    const pricing = pricer(r, facts);
    if ("free" in pricing) {
      free.push({ module: r.module, address: r.address, type: r.type, reason: pricing.free });
      continue;
    }
    for (const c of pricing.charges) {
      const price = prices[c.priceKey];
      lines.push({
        module: r.module,
        address: r.address,
        type: r.type,
        item: c.item,
        priceKey: c.priceKey,
        unitUsd: price.usd,
        unit: price.unit,
        floorQuantity: c.floorQuantity,
        profileQuantity: c.profileQuantity,
        floorUsd: usd(c.floorQuantity * price.usd),
        estimateUsd: usd(c.profileQuantity * price.usd),
        basis: c.basis,
      });
    }
  }
  const modules = [...new Set(lines.map((l) => l.module))].sort().map((module) => {
    const of = lines.filter((l) => l.module === module);
    return { module, floorUsd: usd(of.reduce((s, l) => s + l.floorUsd, 0)), estimateUsd: usd(of.reduce((s, l) => s + l.estimateUsd, 0)) };
  });
  const usedKeys = [...new Set(lines.map((l) => l.priceKey))].sort();
  return {
    environment: env.name,
    region: env.account.region,
    currency: "USD",
    priceTableAsOf: table.asOf,
    idleFloorUsd: usd(lines.reduce((s, l) => s + l.floorUsd, 0)),
    estimateUsd: usd(lines.reduce((s, l) => s + l.estimateUsd, 0)),
    streamingJobs: env.streaming.jobs,
    modules,
    lines,
    free,
    unpriced,
    assumptions: [...assumptionNotes(), ...environmentNotes(env, facts, prices)],
    unconfirmedPrices: usedKeys.filter((key) => !prices[key].seenIn).map((key) => ({ key, usd: prices[key].usd, unit: prices[key].unit, source: prices[key].source, usageType: prices[key].usageType })),
  };
}

/** The environment's own assumptions: its switch, its profile, and what today's load path costs. */
function environmentNotes(env: Environment, facts: EnvironmentFacts, prices: RegionPrices): string[] {
  const p = env.usage;
  const notes = [
    `Profile (usage in environments/${env.name}.ts): ${p.eventsPerSecond} events/s of ${p.bytesPerEvent} bytes over ${facts.pipelines.length} stream(s); warehouse ${p.warehouse.queriesPerDay} queries/day of ${p.warehouse.averageQuerySeconds} s; Athena ${p.athenaTbScannedPerMonth} TB/month; QuickSight ${p.bi.authors} author(s), ${p.bi.readers} reader(s).`,
    `streaming.jobs is "${env.streaming.jobs}": the streaming jobs run ${facts.streamingJobHours} h a month at the profile and ${facts.floorStreamingJobHours} h when idle, at ${env.streaming.workers} worker(s) of ${env.streaming.workerType}.`,
  ];
  if (env.streaming.jobs === "off" && p.streamingJobHoursPerMonth > 0) {
    notes.push(`usage.streamingJobHoursPerMonth is ${p.streamingJobHoursPerMonth}, but streaming.jobs "off" leaves the VPC without the endpoints the jobs need: counted as 0 h.`);
  }
  if (env.streaming.jobs === "always-on" && p.streamingJobHoursPerMonth < HOURS_PER_MONTH) {
    notes.push(`usage.streamingJobHoursPerMonth is ${p.streamingJobHoursPerMonth}, but always-on jobs run all month: counted as ${HOURS_PER_MONTH} h.`);
  }
  const loading = Object.keys(facts.warehouseLoadsPerHourByPipeline);
  if (loading.length) notes.push(warehouseCadenceNote(env, facts, prices));
  return notes;
}

/**
 * What the warehouse load cadence keeps Redshift busy, an hour of the streaming jobs running with
 * data, against a load every window (what the jobs did before the cadence; issue 16, item 4).
 */
export function warehouseCadence(facts: EnvironmentFacts, rpu: number) {
  const pipelines = Object.keys(facts.warehouseLoadsPerHourByPipeline);
  const minutesBusy = (loads: number) => busySeconds(loads * ASSUMPTIONS.warehouseMinimumSeconds, 3600) / 60;
  const loadsPerHour = pipelines.reduce((sum, p) => sum + facts.warehouseLoadsPerHourByPipeline[p], 0);
  const everyWindowPerHour = pipelines.reduce((sum, p) => sum + warehouseLoadsPerHour(0, facts.windowSecondsByPipeline[p]), 0);
  const busyMinutesPerHour = minutesBusy(loadsPerHour);
  const everyWindowBusyMinutesPerHour = minutesBusy(everyWindowPerHour);
  return {
    jobs: pipelines.length,
    loadsPerHour,
    busyMinutesPerHour,
    rpuHoursPerHour: (busyMinutesPerHour / 60) * rpu,
    everyWindowPerHour,
    everyWindowBusyMinutesPerHour,
    everyWindowRpuHoursPerHour: (everyWindowBusyMinutesPerHour / 60) * rpu,
  };
}

function warehouseCadenceNote(env: Environment, facts: EnvironmentFacts, prices: RegionPrices): string {
  const c = warehouseCadence(facts, env.warehouse.baseCapacityRpu);
  const rpuHour = prices["redshift.serverlessRpuHour"].usd;
  const one = (n: number) => n.toFixed(1);
  return (
    `Warehouse loads: each streaming job appends every batch's warehouse rows to its pending prefix and loads them all once the oldest waited warehouse.loadIntervalMinutes (${env.warehouse.loadIntervalMinutes} min); the views are refreshed in the same busy period, after a load that changed rows. ` +
    `An hour of the ${c.jobs} loading job(s) running with data: ${one(c.loadsPerHour)} loads keep the workgroup busy about ${one(c.busyMinutesPerHour)} min (${one(c.rpuHoursPerHour)} RPU-hours, $${(c.rpuHoursPerHour * rpuHour).toFixed(2)}); ` +
    `a load every streaming window (${one(c.everyWindowPerHour)} an hour) would keep it busy ${one(c.everyWindowBusyMinutesPerHour)} min (${one(c.everyWindowRpuHoursPerHour)} RPU-hours, $${(c.everyWindowRpuHoursPerHour * rpuHour).toFixed(2)}). Batch jobs load once at the end of each run that found files.`
  );
}
