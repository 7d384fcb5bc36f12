import { readFileSync } from "node:fs";
import { join } from "node:path";
import { matchesPattern } from "../../lib/event-pattern";
import { decodeS3EventKey, s3EventKey } from "../../lib/s3-event-key";
import { OBJECT_EVENT_INPUT_PATHS, STATE, objectEventInputTemplate, pipelineWorkflowInput, workflowDefinition } from "../../modules/catalog-automation";
import { resolveReferences } from "../helpers/references";
import { resourcesOf, synthAll } from "../helpers/synth";
import { renderTemplate } from "../helpers/input-transformer";
import { CrawlerModel, World } from "./aws-models";
import { WAREHOUSE, dataFileKey, stackLikeProps } from "./inputs";

/**
 * Object keys as S3 sends them: URL-encoded (`year=2026` arrives as `year%3D2026`). The documented
 * Object Created event (the shared fixture) carrying such keys, through each environment's rule,
 * the rule's input transformer and the workflow (aws-local-stepfunctions).
 */
const fixture = JSON.parse(readFileSync(join(__dirname, "../fixtures/events/s3-object-created.json"), "utf8"));
const objectCreated = (bucket: string, key: string) => ({ ...fixture, detail: { ...fixture.detail, bucket: { name: bucket }, object: { ...fixture.detail.object, key } } });
const PARTITION = ["2026", "03", "07", "05"];
const sent = (pipeline: string, file?: string) => s3EventKey(dataFileKey(pipeline, PARTITION, file));

describe("S3's encoding of keys in event notifications", () => {
  it("is form URL encoding: the documented example, and the partition folders the jobs write", () => {
    expect(s3EventKey("red flower.jpg")).toBe("red+flower.jpg");
    expect(sent("attendees")).toBe("attendees/year%3D2026/month%3D03/day%3D07/hour%3D05/part-00000-5f1c.c000.snappy.parquet");
    expect(s3EventKey("a+b (1)/é.csv")).toBe("a%2Bb+%281%29/%C3%A9.csv");
  });

  it("decodes back to the key S3's API takes", () => {
    for (const key of [dataFileKey("session_checkins", PARTITION), "a+b (1)/é.csv", "x=y z"]) expect(decodeS3EventKey(s3EventKey(key))).toBe(key);
  });
});

describe.each(synthAll().map((s) => [s.environment.name, s] as const))("%s: the new-object rules match keys as S3 sends them", (_name, { platform }) => {
  const rules = resourcesOf(platform, "aws_cloudwatch_event_rule")
    .map(([, r]) => ({ name: String(r.name), pattern: JSON.parse(resolveReferences(r.event_pattern, platform)) }))
    .filter((r) => r.name.endsWith("-new-objects"));
  const bucketOf = (pattern: { detail: { bucket: { name: string[] } } }) => pattern.detail.bucket.name[0];

  it("matches each pipeline's data files, encoded or not, and nothing Spark leaves beside them", () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const pipeline = String(rule.pattern.detail.object.key[0].wildcard).split("/")[0];
      const bucket = bucketOf(rule.pattern);
      expect([rule.name, matchesPattern(rule.pattern, objectCreated(bucket, sent(pipeline)))]).toEqual([rule.name, true]);
      expect(matchesPattern(rule.pattern, objectCreated(bucket, dataFileKey(pipeline, PARTITION)))).toBe(true);
      for (const other of [`${pipeline}/_temporary/0/_temporary/attempt_1/year=2026/part-0.parquet`, `${pipeline}/year=2026/month=03/day=07/hour=05/_SUCCESS`, `${pipeline}/year=2026/month=03/day=07/hour=05/.part-0.parquet.crc`]) {
        expect([other, matchesPattern(rule.pattern, objectCreated(bucket, s3EventKey(other)))]).toEqual([other, false]);
      }
    }
  });
});

describe("the catalog workflow, executed with a key as S3 sends it", () => {
  const props = stackLikeProps("dev", "attendees", WAREHOUSE);
  const definition = workflowDefinition(pipelineWorkflowInput(props));
  /** What the rule's input transformer hands the workflow for an event. */
  const executionInput = (key: string) => renderTemplate(objectEventInputTemplate("attendees"), OBJECT_EVENT_INPUT_PATHS, objectCreated(props.curatedBucketName, key)) as unknown as Record<string, unknown>;
  const world = () => {
    const crawler = new CrawlerModel(pipelineWorkflowInput(props).crawlerName!);
    crawler.write(PARTITION);
    return new World(crawler);
  };

  jest.setTimeout(30_000);

  it("reads the partition out of the encoded key: a catalogued partition is not crawled again", async () => {
    const catalogued = world();
    catalogued.crawler.catalogued.add(PARTITION.join("/"));
    const run = await catalogued.run(definition, executionInput(sent("attendees")));
    expect(run.states).toEqual(expect.arrayContaining([STATE.keyForm, STATE.parseEncoded, STATE.lookUp, STATE.alreadyCatalogued]));
    expect(catalogued.crawler.runs).toBe(0);
  });

  it("crawls a new partition once, from the encoded key as from the decoded one", async () => {
    for (const key of [sent("attendees"), dataFileKey("attendees", PARTITION)]) {
      const fresh = world();
      const run = await fresh.run(definition, executionInput(key));
      expect([key, run.succeeded, fresh.crawler.runs]).toEqual([key, true, 1]);
      expect(fresh.crawler.catalogued.has(PARTITION.join("/"))).toBe(true);
    }
  });

  it("would crawl for every object if the workflow parsed the encoded key as decoded (what the key form choice is for)", async () => {
    const parsedAsDecoded = structuredClone(definition);
    parsedAsDecoded.States[STATE.keyForm] = { Type: "Pass", Next: STATE.parse };
    delete parsedAsDecoded.States[STATE.parseEncoded];
    const catalogued = world();
    catalogued.crawler.catalogued.add(PARTITION.join("/"));
    const run = await catalogued.run(parsedAsDecoded, executionInput(sent("attendees")));
    // The lookup asks for a partition that is not the object's: the catalogued one is crawled again.
    expect(run.states).not.toContain(STATE.alreadyCatalogued);
    expect(catalogued.crawler.runs).toBe(1);
  });
});
