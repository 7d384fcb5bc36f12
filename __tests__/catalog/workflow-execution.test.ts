import { STATE, pipelineWorkflowInput, workflowDefinition } from "../../modules/catalog-automation";
import { CrawlerModel, World } from "./aws-models";
import { WAREHOUSE, dataFileKey, objectEventInput, projectionPipeline, stackLikeProps } from "./inputs";

/**
 * The catalog workflow EXECUTED (aws-local-stepfunctions) with the definition the stack deploys in
 * dev (plus a warehouse, which the stack gets once the warehouse module is wired), against models
 * of Glue and the Redshift Data API.
 */
const props = stackLikeProps("dev", "attendees", WAREHOUSE);
const input = pipelineWorkflowInput(props);
const definition = workflowDefinition(input);
const crawlerName = input.crawlerName!;
const PARTITION = ["2026", "03", "07", "05"];
const event = (partition = PARTITION, file?: string) => objectEventInput("attendees", props.curatedBucketName, dataFileKey("attendees", partition, file));

function newWorld(options: ConstructorParameters<typeof World>[2] = {}) {
  const crawler = new CrawlerModel(crawlerName);
  crawler.write(PARTITION);
  return new World(crawler, undefined, options);
}

jest.setTimeout(30_000);

describe("catalog workflow, executed", () => {
  it("stops when the partition is already catalogued: no crawl, no refresh", async () => {
    const world = newWorld();
    world.crawler.catalogued.add(PARTITION.join("/"));
    const run = await world.run(definition, event());
    expect(run.succeeded).toBe(true);
    expect(run.states).toContain(STATE.alreadyCatalogued);
    expect(world.glueCalls).toEqual(["GetPartition"]);
    expect(world.crawler.runs).toBe(0);
    expect(world.statements.executed).toEqual([]);
  });

  it("crawls a new partition once, then refreshes each view once", async () => {
    const world = newWorld();
    const run = await world.run(definition, event());
    expect(run).toMatchObject({ succeeded: true });
    expect(world.crawler.runs).toBe(1);
    expect(world.crawler.catalogued.has(PARTITION.join("/"))).toBe(true);
    expect(world.statements.executed).toEqual(['REFRESH MATERIALIZED VIEW "data_platform"."attendees_by_country"']);
    expect(world.alarms).toEqual([]);
  });

  it("ends without a second run when the crawler is already running", async () => {
    const world = new World(new CrawlerModel(crawlerName, 60_000));
    world.crawler.write(PARTITION);
    world.crawler.start();
    const run = await world.run(definition, event());
    expect(run.succeeded).toBe(true);
    expect(run.states).toContain(STATE.runningCrawl);
    expect(world.glueCalls).not.toContain("StartCrawler");
    expect(world.crawler.runs).toBe(1);
    expect(world.statements.executed).toEqual([]);
  });

  it("ends on CrawlerRunningException when another execution starts the crawler first", async () => {
    const world = newWorld({ afterCheckCrawler: () => world.crawler.start() });
    const run = await world.run(definition, event());
    expect(run.succeeded).toBe(true);
    expect(world.glueCalls).toContain("StartCrawler");
    expect(run.states.slice(-1)).toEqual([STATE.runningCrawl]);
    expect(world.crawler.runs).toBe(1);
    expect(world.statements.executed).toEqual([]);
  });

  it("does not crawl again when a crawl started after the execution and already finished", async () => {
    const world = newWorld({
      beforeLookUp: async () => {
        // The partition is looked up before that crawl registers it; by CheckCrawler it is done.
        await new Promise((resolve) => setTimeout(resolve, 5));
        world.crawler.start();
        world.crawler.finishNow();
        world.crawler.catalogued.delete(PARTITION.join("/"));
      },
    });
    const run = await world.run(definition, event());
    expect(run.succeeded).toBe(true);
    expect(run.states).toContain(STATE.recentCrawl);
    expect(world.glueCalls).not.toContain("StartCrawler");
    expect(world.crawler.runs).toBe(1);
  });

  it("publishes an alarm and fails when the crawl fails", async () => {
    const world = newWorld();
    world.crawler.nextOutcome = "FAILED";
    const run = await world.run(definition, event());
    expect(run).toMatchObject({ succeeded: false, error: "CrawlFailed" });
    expect(world.alarms).toHaveLength(1);
    expect(world.alarms[0]).toMatchObject({ TopicArn: props.alarmTopicArn });
    expect(String((world.alarms[0] as { Message: string }).Message)).toContain("CrawlFailed");
    expect(world.statements.executed).toEqual([]);
  });

  it("publishes an alarm and fails when the crawler does not finish within the poll cap", async () => {
    const world = new World(new CrawlerModel(crawlerName, 60_000));
    const capped = workflowDefinition({ ...input, crawlerMaxPolls: 3 });
    const run = await world.run(capped, event());
    expect(run).toMatchObject({ succeeded: false, error: "CrawlerDidNotFinish" });
    expect(run.states.filter((s) => s === STATE.getCrawler)).toHaveLength(3);
    expect(world.alarms).toHaveLength(1);
  });

  it("publishes an alarm and fails when the view refresh fails", async () => {
    const world = newWorld();
    world.statements.nextOutcome = "FAILED";
    const run = await world.run(definition, event());
    expect(run).toMatchObject({ succeeded: false, error: "ViewRefreshFailed" });
    expect(world.statements.executed).toHaveLength(1);
    expect(world.alarms).toHaveLength(1);
  });

  it("turns a burst of 20 events for one new partition into one crawl and one refresh", async () => {
    const world = newWorld();
    const files = Array.from({ length: 20 }, (_, i) => `part-${String(i).padStart(5, "0")}-burst.c000.snappy.parquet`);
    const runs = await Promise.all(files.map((file) => world.run(definition, event(PARTITION, file))));
    expect(runs.every((r) => r.succeeded)).toBe(true);
    expect(world.crawler.runs).toBe(1);
    expect(world.statements.executed).toHaveLength(1);
    // An event arriving after the crawl sees the partition and stops.
    const late = await world.run(definition, event(PARTITION, "part-late.snappy.parquet"));
    expect(late.states).toContain(STATE.alreadyCatalogued);
    expect(world.crawler.runs).toBe(1);
    expect(world.statements.executed).toHaveLength(1);
  });

  it("ignores keys that are not partition data files, calling nothing", async () => {
    const world = newWorld();
    const run = await world.run(definition, objectEventInput("attendees", props.curatedBucketName, "attendees/year=2026/month=03/day=07/hour=05/_temporary/0/part.parquet"));
    expect(run.states).toContain(STATE.ignored);
    expect(world.glueCalls).toEqual([]);
  });

  it("catch-up skips the partition check and always crawls, then refreshes", async () => {
    const world = newWorld();
    world.crawler.catalogued.add(PARTITION.join("/"));
    const run = await world.run(definition, { pipeline: "attendees", catchUp: true });
    expect(run.succeeded).toBe(true);
    expect(world.glueCalls[0]).toBe("StartCrawler");
    expect(world.crawler.runs).toBe(1);
    expect(world.statements.executed).toHaveLength(1);
  });

  it("session_checkins, a crawler pipeline too, crawls a new partition, then refreshes its view", async () => {
    const sessions = pipelineWorkflowInput(stackLikeProps("dev", "session_checkins", WAREHOUSE));
    expect(sessions.crawlerName).toBe("dp-dev-session-checkins-curated");
    const crawler = new CrawlerModel(sessions.crawlerName!);
    crawler.write(PARTITION);
    const world = new World(crawler);
    const run = await world.run(workflowDefinition(sessions), objectEventInput("session_checkins", props.curatedBucketName, dataFileKey("session_checkins", PARTITION)));
    expect(run).toMatchObject({ succeeded: true });
    expect(world.crawler.runs).toBe(1);
    expect(world.statements.executed).toEqual(['REFRESH MATERIALIZED VIEW "data_platform"."checkins_by_session"']);
  });

  it("a projection pipeline (session_checkins in projection mode) never crawls: events stop, catch-up refreshes its views", async () => {
    const projection = workflowDefinition(pipelineWorkflowInput(stackLikeProps("dev", projectionPipeline, WAREHOUSE)));
    const world = newWorld();
    const onEvent = await world.run(projection, objectEventInput("session_checkins", "b", dataFileKey("session_checkins", PARTITION)));
    expect(onEvent.states).toEqual([STATE.route, STATE.projectionNothing]);
    const catchUp = await world.run(projection, { pipeline: "session_checkins", catchUp: true });
    expect(catchUp.succeeded).toBe(true);
    expect(world.glueCalls).toEqual([]);
    expect(world.statements.executed).toEqual(['REFRESH MATERIALIZED VIEW "data_platform"."checkins_by_session"']);
  });
});
