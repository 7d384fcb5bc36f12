import { s3EventKey } from "../../lib/s3-event-key";
import { qualifiedSqlName } from "../../lib/sql";

/**
 * The catalog workflow of one pipeline as Amazon States Language, built by a pure function so that
 * tests validate, map to IAM and execute exactly what is deployed.
 *
 * Cost rule: a burst of object events for one new partition leads to at most one crawler run and
 * one view refresh. EventBridge names each execution itself (a target cannot set the name), so the
 * Standard workflow's name-based idempotency is not available; the workflow deduplicates instead:
 *  1. the partition is already in the catalog → stop (no crawl);
 *  2. the crawler is not READY → stop: the running crawl picks the new folder up;
 *  3. the crawler's last crawl started after this execution started → stop: that crawl already
 *     listed the object (which existed before its event, hence before this execution);
 *  4. StartCrawler throws CrawlerRunningException → stop: another execution won the race.
 * Only the execution whose StartCrawler succeeded waits for the crawl and refreshes the views.
 * The window between 3 and 4 is milliseconds against a crawl's minute-long minimum, so a second
 * crawl cannot start and finish inside it. The nightly catch-up skips 1-3 and always crawls.
 */

/** The redshift-data API call target: workgroup, database and either a secret or IAM auth. */
export interface WorkflowWarehouse {
  readonly workgroupName: string;
  readonly database: string;
  /** Secrets Manager secret holding the database user; omit to use IAM auth (GetCredentials). */
  readonly secretArn?: string;
}

export interface WorkflowInput {
  readonly pipeline: string;
  /** `crawler`: crawl new partitions; `projection`: nothing to catalogue, views only. */
  readonly catalogMode: "crawler" | "projection";
  readonly curatedDatabase: string;
  /** The Glue table the crawler creates (named after the pipeline's prefix) or the declared one. */
  readonly tableName: string;
  /** Absent for projection pipelines. */
  readonly crawlerName?: string;
  readonly alarmTopicArn: string;
  readonly crawlerPollSeconds: number;
  readonly crawlerMaxPolls: number;
  /** Absent: no view refresh. */
  readonly warehouse?: WorkflowWarehouse;
  /** Schema of the materialized views (contract `warehouse.schema`). */
  readonly viewSchema?: string;
  /** Materialized views to refresh after a successful crawl, in order. */
  readonly views: readonly string[];
  /** @default 5 */
  readonly statementPollSeconds?: number;
  /** @default 60 */
  readonly statementMaxPolls?: number;
}

export type AslState = Record<string, unknown>;
export interface AslDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

/** State names, shared with the tests that override Task and Wait states by name. */
export const STATE = {
  route: "Route",
  checkKey: "IsPartitionDataFile",
  ignored: "NotAPartitionDataFile",
  keyForm: "KeyForm",
  parse: "ParsePartition",
  parseEncoded: "ParseEncodedPartition",
  lookUp: "LookUpPartition",
  alreadyCatalogued: "AlreadyCatalogued",
  checkCrawler: "CheckCrawler",
  decideCrawl: "DecideCrawl",
  runningCrawl: "RunningCrawlPicksItUp",
  recentCrawl: "RecentCrawlPickedItUp",
  startCrawler: "StartCrawler",
  initCrawlPolls: "InitCrawlPolls",
  waitCrawler: "WaitForCrawler",
  getCrawler: "GetCrawlerStatus",
  countCrawlPoll: "CountCrawlPoll",
  crawlDone: "CrawlFinished",
  crawlFailed: "CrawlFailed",
  crawlTimedOut: "CrawlerDidNotFinish",
  catalogued: "Catalogued",
  projectionNothing: "ProjectionNothingToCatalogue",
  listViews: "ListViews",
  refreshViews: "RefreshViews",
  executeRefresh: "RefreshView",
  initStatementPolls: "InitStatementPolls",
  waitStatement: "WaitForRefresh",
  describeStatement: "DescribeRefresh",
  countStatementPoll: "CountRefreshPoll",
  statementDone: "RefreshFinished",
  viewRefreshed: "ViewRefreshed",
  viewRefreshFailed: "ViewRefreshFailed",
  viewRefreshTimedOut: "ViewRefreshDidNotFinish",
  viewsRefreshed: "ViewsRefreshed",
  publishAlarm: "PublishAlarm",
  failed: "Failed",
} as const;

export const SDK = {
  getPartition: "arn:aws:states:::aws-sdk:glue:getPartition",
  getCrawler: "arn:aws:states:::aws-sdk:glue:getCrawler",
  startCrawler: "arn:aws:states:::aws-sdk:glue:startCrawler",
  executeStatement: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
  describeStatement: "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
  snsPublish: "arn:aws:states:::sns:publish",
} as const;

/** Hive-style layout the Glue jobs write (docs/contract.md, "Processing order", 7-8). */
export function partitionDataFileGlob(pipeline: string): string {
  return `${pipeline}/year=*/month=*/day=*/hour=*/*.parquet`;
}

/** The same layout as S3 event notifications write keys: URL-encoded (`year%3D*`). */
export function encodedPartitionDataFileGlob(pipeline: string): string {
  return s3EventKey(partitionDataFileGlob(pipeline));
}

/** `REFRESH MATERIALIZED VIEW "<schema>"."<view>"`, identifiers quoted. */
export function refreshViewSql(schema: string, view: string): string {
  return `REFRESH MATERIALIZED VIEW ${qualifiedSqlName(schema, view)}`;
}

/**
 * Partition value at `index` of the key: split on '/', then the folder on `separator`: '=' for
 * `year=2026`; 'D' for the URL-encoded `year%3D2026` (the folder names, year, month, day and hour,
 * hold no capital D and the values are digits, so the value is always the second part). One
 * character: States.StringSplit splits on each character of a longer delimiter.
 */
function partitionValue(index: number, separator: "=" | "D"): string {
  return `States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.key, '/'), ${index}), '${separator}'), 1)`;
}

const partitionParameters = (separator: "=" | "D") => ({
  "year.$": partitionValue(1, separator),
  "month.$": partitionValue(2, separator),
  "day.$": partitionValue(3, separator),
  "hour.$": partitionValue(4, separator),
});

const TRANSIENT_GLUE_ERRORS = ["Glue.InternalServiceException", "Glue.OperationTimeoutException", "Glue.ThrottlingException"];
const retryTransient = (errors: readonly string[]) => [{ ErrorEquals: [...errors], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }];
const catchAll = { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: STATE.publishAlarm };
const failure = (error: string, cause: string, next: string = STATE.publishAlarm): AslState => ({
  Type: "Pass",
  Result: { Error: error, Cause: cause },
  ResultPath: "$.failure",
  Next: next,
});

export function workflowDefinition(input: WorkflowInput): AslDefinition {
  validateWorkflowInput(input);
  const refreshes = input.warehouse !== undefined && input.views.length > 0;
  const afterCatalogue = refreshes ? STATE.listViews : STATE.catalogued;
  const states: Record<string, AslState> = {
    [STATE.route]: {
      Type: "Choice",
      Comment: "catch-up runs (schedule) skip the partition checks; object events are checked first",
      Choices: [
        {
          And: [{ Variable: "$.catchUp", IsPresent: true }, { Variable: "$.catchUp", BooleanEquals: true }],
          Next: input.catalogMode === "crawler" ? STATE.startCrawler : refreshes ? STATE.listViews : STATE.projectionNothing,
        },
      ],
      Default: input.catalogMode === "crawler" ? STATE.checkKey : STATE.projectionNothing,
    },
  };

  if (input.catalogMode === "projection") {
    states[STATE.projectionNothing] = {
      Type: "Succeed",
      Comment: "partition projection computes partitions at query time: nothing to catalogue (and no views to refresh)",
    };
  } else {
    Object.assign(states, crawlerStates(input, afterCatalogue));
  }
  if (refreshes) Object.assign(states, viewRefreshStates(input));
  else if (input.catalogMode === "crawler") states[STATE.catalogued] = { Type: "Succeed", Comment: "crawl succeeded; no views to refresh" };

  // A projection pipeline without views calls nothing, so nothing can fail.
  if (input.catalogMode === "projection" && !refreshes) return { Comment: comment(input), StartAt: STATE.route, States: states };

  states[STATE.publishAlarm] = {
    Type: "Task",
    Resource: SDK.snsPublish,
    Parameters: {
      TopicArn: input.alarmTopicArn,
      Subject: `Catalog workflow failed: ${input.pipeline}`,
      "Message.$": "States.JsonToString($)",
    },
    ResultPath: null,
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.alarmFailure", Next: STATE.failed }],
    Next: STATE.failed,
  };
  states[STATE.failed] = { Type: "Fail", ErrorPath: "$.failure.Error", CausePath: "$.failure.Cause" };

  return { Comment: comment(input), StartAt: STATE.route, States: states };
}

const comment = (input: WorkflowInput): string => `Catalog automation for pipeline ${input.pipeline} (${input.catalogMode})`;

/** `glue:getCrawler`, keeping only `Crawler` (State, LastCrawl) under `$.crawler`. */
const getCrawlerTask = (crawler: string, next: string): AslState => ({
  Type: "Task",
  Resource: SDK.getCrawler,
  Parameters: { Name: crawler },
  ResultSelector: { "Crawler.$": "$.Crawler" },
  ResultPath: "$.crawler",
  Retry: retryTransient(TRANSIENT_GLUE_ERRORS),
  Catch: [catchAll],
  Next: next,
});

function crawlerStates(input: WorkflowInput, afterCatalogue: string): Record<string, AslState> {
  const crawler = input.crawlerName!;
  return {
    [STATE.checkKey]: {
      Type: "Choice",
      Comment: "the event pattern already filters; this guards the key parsing below",
      Choices: [
        {
          And: [
            { Variable: "$.key", IsPresent: true },
            {
              Or: [
                { Variable: "$.key", StringMatches: encodedPartitionDataFileGlob(input.pipeline) },
                { Variable: "$.key", StringMatches: partitionDataFileGlob(input.pipeline) },
              ],
            },
            { Not: { Variable: "$.key", StringMatches: "*/_temporary/*" } },
          ],
          Next: STATE.keyForm,
        },
      ],
      Default: STATE.ignored,
    },
    [STATE.ignored]: { Type: "Succeed", Comment: "not a data file of a partition" },
    [STATE.keyForm]: {
      Type: "Choice",
      Comment: "S3 events carry the key URL-encoded (year%3D2026); a decoded key is parsed as it is",
      Choices: [{ Variable: "$.key", StringMatches: encodedPartitionDataFileGlob(input.pipeline), Next: STATE.parseEncoded }],
      Default: STATE.parse,
    },
    [STATE.parseEncoded]: { Type: "Pass", Parameters: partitionParameters("D"), ResultPath: "$.partition", Next: STATE.lookUp },
    [STATE.parse]: { Type: "Pass", Parameters: partitionParameters("="), ResultPath: "$.partition", Next: STATE.lookUp },
    [STATE.lookUp]: {
      Type: "Task",
      Resource: SDK.getPartition,
      Parameters: {
        DatabaseName: input.curatedDatabase,
        TableName: input.tableName,
        "PartitionValues.$": "States.Array($.partition.year, $.partition.month, $.partition.day, $.partition.hour)",
      },
      ResultPath: null,
      Retry: retryTransient(TRANSIENT_GLUE_ERRORS),
      Catch: [
        { ErrorEquals: ["Glue.EntityNotFoundException"], ResultPath: null, Next: STATE.checkCrawler },
        catchAll,
      ],
      Next: STATE.alreadyCatalogued,
    },
    [STATE.alreadyCatalogued]: { Type: "Succeed", Comment: "already catalogued: no crawl, no cost" },
    [STATE.checkCrawler]: getCrawlerTask(crawler, STATE.decideCrawl),
    [STATE.decideCrawl]: {
      Type: "Choice",
      Choices: [
        { Not: { Variable: "$.crawler.Crawler.State", StringEquals: "READY" }, Next: STATE.runningCrawl },
        {
          And: [
            { Variable: "$.crawler.Crawler.LastCrawl.StartTime", IsPresent: true },
            { Variable: "$.crawler.Crawler.LastCrawl.StartTime", IsTimestamp: true },
            { Variable: "$.crawler.Crawler.LastCrawl.StartTime", TimestampGreaterThanPath: "$$.Execution.StartTime" },
          ],
          Next: STATE.recentCrawl,
        },
      ],
      Default: STATE.startCrawler,
    },
    [STATE.runningCrawl]: { Type: "Succeed", Comment: "a running crawl will pick it up" },
    [STATE.recentCrawl]: { Type: "Succeed", Comment: "a crawl that started after this object was written already picked it up" },
    [STATE.startCrawler]: {
      Type: "Task",
      Resource: SDK.startCrawler,
      Parameters: { Name: crawler },
      ResultPath: null,
      Retry: retryTransient(TRANSIENT_GLUE_ERRORS),
      Catch: [
        { ErrorEquals: ["Glue.CrawlerRunningException"], ResultPath: null, Next: STATE.runningCrawl },
        catchAll,
      ],
      Next: STATE.initCrawlPolls,
    },
    [STATE.initCrawlPolls]: { Type: "Pass", Result: { count: 0 }, ResultPath: "$.crawlPolls", Next: STATE.waitCrawler },
    [STATE.waitCrawler]: { Type: "Wait", Seconds: input.crawlerPollSeconds, Next: STATE.getCrawler },
    [STATE.getCrawler]: getCrawlerTask(crawler, STATE.countCrawlPoll),
    [STATE.countCrawlPoll]: {
      Type: "Pass",
      Parameters: { "count.$": "States.MathAdd($.crawlPolls.count, 1)" },
      ResultPath: "$.crawlPolls",
      Next: STATE.crawlDone,
    },
    [STATE.crawlDone]: {
      Type: "Choice",
      Comment: "a crawler returns to READY whether it succeeded or failed: LastCrawl.Status decides",
      Choices: [
        {
          And: [
            { Variable: "$.crawler.Crawler.State", StringEquals: "READY" },
            { Variable: "$.crawler.Crawler.LastCrawl.Status", IsPresent: true },
            { Variable: "$.crawler.Crawler.LastCrawl.Status", StringEquals: "SUCCEEDED" },
          ],
          Next: afterCatalogue,
        },
        { Variable: "$.crawler.Crawler.State", StringEquals: "READY", Next: STATE.crawlFailed },
        { Variable: "$.crawlPolls.count", NumericGreaterThanEquals: input.crawlerMaxPolls, Next: STATE.crawlTimedOut },
      ],
      Default: STATE.waitCrawler,
    },
    [STATE.crawlFailed]: failure("CrawlFailed", `crawler ${crawler} finished without LastCrawl.Status SUCCEEDED`),
    [STATE.crawlTimedOut]: failure(
      "CrawlerDidNotFinish",
      `crawler did not finish: ${crawler} still running after ${input.crawlerMaxPolls} polls of ${input.crawlerPollSeconds} s`,
    ),
  };
}

function viewRefreshStates(input: WorkflowInput): Record<string, AslState> {
  const warehouse = input.warehouse!;
  const schema = input.viewSchema ?? "data_platform";
  const pollSeconds = input.statementPollSeconds ?? 5;
  const maxPolls = input.statementMaxPolls ?? 60;
  const target: Record<string, string> = {
    WorkgroupName: warehouse.workgroupName,
    Database: warehouse.database,
    ...(warehouse.secretArn ? { SecretArn: warehouse.secretArn } : {}),
  };
  return {
    [STATE.listViews]: {
      Type: "Pass",
      Result: input.views.map((view) => ({ view, sql: refreshViewSql(schema, view) })),
      ResultPath: "$.views",
      Next: STATE.refreshViews,
    },
    [STATE.refreshViews]: {
      Type: "Map",
      Comment: "one view at a time: refreshes compete for the same workgroup",
      ItemsPath: "$.views",
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: STATE.executeRefresh,
        States: {
          [STATE.executeRefresh]: {
            Type: "Task",
            Resource: SDK.executeStatement,
            Parameters: { ...target, "Sql.$": "$.sql", StatementName: `${input.pipeline}-refresh` },
            ResultSelector: { "Id.$": "$.Id" },
            ResultPath: "$.statement",
            Next: STATE.initStatementPolls,
          },
          [STATE.initStatementPolls]: { Type: "Pass", Result: { count: 0 }, ResultPath: "$.statementPolls", Next: STATE.waitStatement },
          [STATE.waitStatement]: { Type: "Wait", Seconds: pollSeconds, Next: STATE.describeStatement },
          [STATE.describeStatement]: {
            Type: "Task",
            Resource: SDK.describeStatement,
            Parameters: { "Id.$": "$.statement.Id" },
            ResultSelector: { "Status.$": "$.Status" },
            ResultPath: "$.described",
            Next: STATE.countStatementPoll,
          },
          [STATE.countStatementPoll]: {
            Type: "Pass",
            Parameters: { "count.$": "States.MathAdd($.statementPolls.count, 1)" },
            ResultPath: "$.statementPolls",
            Next: STATE.statementDone,
          },
          [STATE.statementDone]: {
            Type: "Choice",
            Choices: [
              { Variable: "$.described.Status", StringEquals: "FINISHED", Next: STATE.viewRefreshed },
              {
                Or: [
                  { Variable: "$.described.Status", StringEquals: "FAILED" },
                  { Variable: "$.described.Status", StringEquals: "ABORTED" },
                ],
                Next: STATE.viewRefreshFailed,
              },
              { Variable: "$.statementPolls.count", NumericGreaterThanEquals: maxPolls, Next: STATE.viewRefreshTimedOut },
            ],
            Default: STATE.waitStatement,
          },
          [STATE.viewRefreshed]: { Type: "Succeed" },
          [STATE.viewRefreshFailed]: { Type: "Fail", Error: "ViewRefreshFailed", Cause: "REFRESH MATERIALIZED VIEW ended FAILED or ABORTED" },
          [STATE.viewRefreshTimedOut]: {
            Type: "Fail",
            Error: "ViewRefreshDidNotFinish",
            Cause: `refresh still running after ${maxPolls} polls of ${pollSeconds} s`,
          },
        },
      },
      ResultPath: null,
      Catch: [catchAll],
      Next: STATE.viewsRefreshed,
    },
    [STATE.viewsRefreshed]: { Type: "Succeed", Comment: "catalogued and views refreshed" },
  };
}

/** Refuses inputs that would deploy a workflow that cannot work, naming field, value and what is valid. */
export function validateWorkflowInput(input: WorkflowInput): void {
  const problems: string[] = [];
  if (input.catalogMode === "crawler" && !input.crawlerName) {
    problems.push(`crawlerName is ${JSON.stringify(input.crawlerName)}: a crawler pipeline needs its crawler's name`);
  }
  if (!Number.isInteger(input.crawlerPollSeconds) || input.crawlerPollSeconds < 1) {
    problems.push(`crawlerPollSeconds is ${input.crawlerPollSeconds}: must be a whole number of seconds >= 1`);
  }
  if (!Number.isInteger(input.crawlerMaxPolls) || input.crawlerMaxPolls < 1) {
    problems.push(`crawlerMaxPolls is ${input.crawlerMaxPolls}: must be a whole number >= 1`);
  }
  for (const view of input.views) {
    if (!/^[a-z][a-z0-9_]*$/.test(view)) problems.push(`views contains ${JSON.stringify(view)}: view names are lowercase snake_case`);
  }
  if (problems.length > 0) throw new Error(`catalog workflow for ${input.pipeline}: ${problems.join("; ")}`);
}
