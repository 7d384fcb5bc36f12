import { loadEnvironments } from "../../environments";
import { PIPELINE_DEFINITIONS, loadPipelines, resolvePipelineSettings } from "../../pipelines";
import { attendees } from "../../pipelines/attendees";
import { sha256 } from "../../pipelines/contract";
import { resourcesOf, synthAll } from "../helpers/synth";

describe("pipeline settings per environment", () => {
  const [dev, , prod] = loadEnvironments();

  it("take the environment's values unless the pipeline overrides them", () => {
    const inDev = resolvePipelineSettings(attendees, dev);
    expect(inDev).toMatchObject({ enabled: true, shards: dev.streaming.shards, workerType: dev.streaming.workerType, streamRetentionHours: dev.retention.streamHours });
    const inProd = resolvePipelineSettings(attendees, prod);
    expect(inProd.shards).toBe(attendees.environments.prod.shards);
    expect(inProd.maxWorkers).toBe(attendees.environments.prod.maxWorkers);
    expect(inProd.capacityMode).toBe(prod.streaming.capacityMode);
  });

  it("never lets max workers fall below workers", () => {
    const settings = resolvePipelineSettings({ ...attendees, environments: { dev: { workers: 8 } } }, dev);
    expect(settings.maxWorkers).toBeGreaterThanOrEqual(8);
  });

  it("can disable a pipeline in one environment", () => {
    expect(resolvePipelineSettings({ ...attendees, environments: { dev: { enabled: false } } }, dev).enabled).toBe(false);
  });
});

describe("contracts and reference data in the synthesized environments", () => {
  const all = synthAll();
  const enabledIn = (envIndex: number) =>
    PIPELINE_DEFINITIONS.filter((d) => resolvePipelineSettings(d, all[envIndex].environment).enabled).map((d) => d.name).sort();
  const compiled = loadPipelines(all.map((s) => s.environment.name));

  it("ship each enabled pipeline's contract, content-addressed, with identical bytes everywhere", () => {
    const byEnv = all.map((s) => resourcesOf(s.platform, "aws_s3_object").map(([, o]) => o).filter((o) => String(o.key).startsWith("contracts/")));
    for (const [index, contracts] of byEnv.entries()) {
      expect(contracts.map((c) => c.key.split("/")[1]).sort()).toEqual(enabledIn(index));
      for (const c of contracts) {
        expect(c.key).toBe(`contracts/${c.key.split("/")[1]}/${sha256(c.content)}.json`);
        expect(c.server_side_encryption).toBe("aws:kms");
      }
    }
    // A pipeline deployed in dev and prod ships the same contract bytes to both.
    const inBoth = enabledIn(0).filter((name) => enabledIn(2).includes(name));
    expect(inBoth).toEqual(expect.arrayContaining(["attendees", "session_checkins"]));
    const fingerprint = (contracts: Record<string, any>[]) => contracts.map((c) => String(c.key)).filter((key) => inBoth.includes(key.split("/")[1])).sort();
    expect(fingerprint(byEnv[0])).toEqual(fingerprint(byEnv[2]));
  });

  it("ship bundled reference files to the reference bucket with their content hash", () => {
    for (const [index, s] of all.entries()) {
      const expected = compiled.filter((p) => enabledIn(index).includes(p.name)).flatMap((p) => p.referenceFiles.map((f) => f.key));
      expect(expected).toContain("attendees/countries/countries.csv");
      const refs = resourcesOf(s.resolvedPlatform, "aws_s3_object").map(([, o]) => o).filter((o) => String(o.bucket).includes("-reference-"));
      expect(refs.map((r) => r.key).sort()).toEqual(expected.sort());
      for (const r of refs) expect(r.source_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
