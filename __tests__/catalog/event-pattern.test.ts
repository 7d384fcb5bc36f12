import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EventPattern, matchesPattern, wildcardMatches } from "../../lib/event-pattern";
import { curatedObjectPattern, pipelineCatalogNames } from "../../modules/catalog-automation";
import { resolveReferences } from "../helpers/references";
import { resourcesOf, synthEnvironment } from "../helpers/synth";
import { catalogPipeline, catalogResourcesOf, dataFileKey, deployedPipelines, named, namerOf, projectionPipeline, synthCatalog } from "./inputs";

const fixture = JSON.parse(readFileSync(join(__dirname, "../fixtures/events/s3-object-created.json"), "utf8"));
const CURATED = "dp-dev-curated-111122223333-eu-west-1";
const objectCreated = (key: string, bucket = CURATED) => ({ ...fixture, detail: { ...fixture.detail, bucket: { name: bucket }, object: { ...fixture.detail.object, key } } });

describe("EventBridge matcher semantics", () => {
  const event = { source: "aws.s3", detail: { key: "a/b.parquet", tags: ["x", "y"], size: 5 } };
  const cases: [string, EventPattern, boolean][] = [
    ["exact value", { source: ["aws.s3"] }, true],
    ["values are alternatives", { source: ["aws.ec2", "aws.s3"] }, true],
    ["exact is case-sensitive", { source: ["AWS.S3"] }, false],
    ["all fields must match", { source: ["aws.s3"], detail: { key: ["nope"] } }, false],
    ["prefix", { detail: { key: [{ prefix: "a/" }] } }, true],
    ["prefix miss", { detail: { key: [{ prefix: "b/" }] } }, false],
    ["suffix", { detail: { key: [{ suffix: ".parquet" }] } }, true],
    ["suffix miss", { detail: { key: [{ suffix: ".crc" }] } }, false],
    ["wildcard", { detail: { key: [{ wildcard: "a/*.parquet" }] } }, true],
    ["anything-but value", { source: [{ "anything-but": "aws.ec2" }] }, true],
    ["anything-but list hit", { source: [{ "anything-but": ["aws.ec2", "aws.s3"] }] }, false],
    ["anything-but prefix", { detail: { key: [{ "anything-but": { prefix: "a/" } }] } }, false],
    ["anything-but suffix", { detail: { key: [{ "anything-but": { suffix: ".crc" } }] } }, true],
    ["exists", { detail: { key: [{ exists: true }] } }, true],
    ["does not exist", { detail: { missing: [{ exists: false }] } }, true],
    ["missing field fails a value", { detail: { missing: ["x"] } }, false],
    ["array in the event: any element", { detail: { tags: ["y"] } }, true],
    ["numbers match exactly", { detail: { size: [5] } }, true],
    ["nested pattern over a scalar fails", { source: { x: ["y"] } }, false],
  ];
  it.each(cases)("%s", (_name, pattern, expected) => expect(matchesPattern(pattern, event)).toBe(expected));

  it("wildcards span slashes, match literally otherwise, and honour an escaped star", () => {
    expect(wildcardMatches("a/*/c", "a/b/x/c")).toBe(true);
    expect(wildcardMatches("a.b", "axb")).toBe(false);
    expect(wildcardMatches("a\\*b", "a*b")).toBe(true);
    expect(wildcardMatches("a\\*b", "axb")).toBe(false);
  });
});

describe("curated new-object pattern", () => {
  const pattern = curatedObjectPattern(CURATED, "attendees");
  const partition = ["2026", "03", "07", "05"];

  it("matches the S3 user guide's Object Created event adapted to a data file of the pipeline", () => {
    expect(matchesPattern(pattern, objectCreated(dataFileKey("attendees", partition)))).toBe(true);
    expect(matchesPattern(pattern, objectCreated(dataFileKey("attendees", partition, "part-00001.parquet")))).toBe(true);
  });

  it.each([
    ["Spark's temporary output", "attendees/_temporary/0/_temporary/attempt_1/year=2026/month=03/day=07/hour=05/part-0.snappy.parquet"],
    ["the jobs' staged batch, before it is published", "attendees/_staging/streaming/lake/year=2026/month=03/day=07/hour=05/part-0.snappy.parquet"],
    ["the _SUCCESS marker", "attendees/_SUCCESS"],
    ["a checksum side file", "attendees/year=2026/month=03/day=07/hour=05/.part-0.snappy.parquet.crc"],
    ["a folder marker", "attendees/year=2026/month=03/day=07/hour=05_$folder$"],
    ["a checkpoint", "attendees/_checkpoints/offsets/12"],
    ["another pipeline's prefix", dataFileKey("session_checkins", ["2026", "03", "07", "05"])],
    ["a pipeline whose name extends this one", dataFileKey("attendees_v2", ["2026", "03", "07", "05"])],
    ["a file outside partitions", "attendees/part-0.snappy.parquet"],
  ])("ignores %s", (_what, key) => {
    expect(matchesPattern(pattern, objectCreated(key))).toBe(false);
  });

  it("ignores other buckets and other event types", () => {
    expect(matchesPattern(pattern, objectCreated(dataFileKey("attendees", partition), "dp-dev-raw-111122223333-eu-west-1"))).toBe(false);
    expect(matchesPattern(pattern, { ...objectCreated(dataFileKey("attendees", partition)), "detail-type": "Object Deleted" })).toBe(false);
  });

  it("is the pattern synthesized for each crawler pipeline's rule", () => {
    const { platform, environment } = synthEnvironment("prod");
    const bucket = `dp-prod-curated-${environment.account.id}-${environment.account.region}`;
    const patternOf = (rule: string) => JSON.parse(resolveReferences(named(platform, "aws_cloudwatch_event_rule", rule)[1].event_pattern, platform));
    expect(patternOf("dp-prod-attendees-new-objects")).toEqual(curatedObjectPattern(bucket, "attendees"));
    expect(patternOf("dp-prod-session-checkins-new-objects")).toEqual(curatedObjectPattern(bucket, "session_checkins"));
    const crawling = deployedPipelines("prod").filter((p) => catalogPipeline(p).catalogMode === "crawler");
    for (const pipeline of crawling) {
      const pattern = patternOf(pipelineCatalogNames(namerOf("prod"), pipeline).rule);
      expect(pattern).toEqual(curatedObjectPattern(bucket, pipeline));
      expect(matchesPattern(pattern, objectCreated(dataFileKey(pipeline, partition), bucket))).toBe(true);
      for (const other of crawling.filter((o) => o !== pipeline)) {
        expect([other, matchesPattern(pattern, objectCreated(dataFileKey(other, partition), bucket))]).toEqual([other, false]);
      }
    }
    expect(catalogResourcesOf(platform, "aws_cloudwatch_event_rule")).toHaveLength(crawling.length);
  });

  it("is not synthesized for a projection pipeline (session_checkins in projection mode): no rule", () => {
    const json = synthCatalog([catalogPipeline("attendees"), projectionPipeline]);
    expect(resourcesOf(json, "aws_cloudwatch_event_rule").map(([, r]) => r.name)).toEqual(["dp-dev-attendees-new-objects"]);
  });
});
