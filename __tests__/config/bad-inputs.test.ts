/**
 * Bad input, as a new user writes it: each case breaks the shipped environments and pipelines in
 * one or more places and names, for every problem, the path and the value the report must show.
 * Everything goes through `validateConfiguration`, the one entry `npm run synth`, `cdktf synth`
 * and the tools use, so a case passes only when the report says it before any construct exists.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { ConfigValidationError, renderValue } from "../../lib/validation";
import { PIPELINE_DEFINITIONS } from "../../pipelines";
import { REFERENCE_DATA_DIR } from "../../pipelines/reference-files";
import { validateConfiguration } from "../../stacks/validate";

/** Writable copies of everything shipped, by name: `c.prod`, `c.attendees`, …; `envs` and `pipelines` in order. */
interface Inputs {
  readonly envs: any[];
  readonly pipelines: any[];
  readonly [name: string]: any;
}

function inputs(): Inputs {
  const envs = structuredClone([...ENVIRONMENT_CONFIGS]) as any[];
  const pipelines = structuredClone([...PIPELINE_DEFINITIONS]) as any[];
  return { envs, pipelines, ...Object.fromEntries([...envs, ...pipelines].map((d) => [d.name, d])) };
}

interface Expected {
  readonly path: string;
  readonly value: unknown;
  /** Words the message must contain. */
  readonly says: RegExp;
}

interface BadInput {
  readonly title: string;
  readonly change: (c: Inputs) => void;
  readonly expect: readonly Expected[];
  /** Reference files of the case (written into a copy of pipelines/reference-data). */
  readonly files?: Readonly<Record<string, string>>;
}

const field = (def: any, name: string) => def.schema.fields.find((f: any) => f.name === name);
const sandbox = (c: Inputs, name = "sandbox1") => {
  const env = structuredClone(c.dev);
  Object.assign(env, { name });
  Object.assign(env.account, { id: "222233334444" });
  Object.assign(env.state, { bucket: "dp-terraform-state-222233334444", key: `data-platform/${name}.tfstate` });
  Object.assign(env.network, { cidr: "10.40.0.0/16" });
  c.envs.push(env);
  return env;
};
const long = (length: number) => "x".repeat(length);
/**
 * Adds to attendees a materialized view whose name fits in dev, stage and prod but makes its saved
 * Athena query's name (`dp-<env>-attendees-<view>`, 128 characters at most) too long with an
 * environment named like "sandbox1": since each pipeline has its own stack, a view's name is what
 * binds, not the pipeline's (stacks/derived-names.ts).
 */
const longView = (c: Inputs, length = 108) => {
  const views = c.attendees.warehouse.materializedViews;
  views.push({ ...structuredClone(views[0]), name: `v${long(length - 1)}` });
};

const environmentCases: BadInput[] = [
  { title: "an 11-digit account id", change: (c) => (c.prod.account.id = "77778888999"), expect: [{ path: "prod.account.id", value: "77778888999", says: /12-digit/ }] },
  { title: "an account id with letters", change: (c) => (c.dev.account.id = "11112222333x"), expect: [{ path: "dev.account.id", value: "11112222333x", says: /12-digit/ }] },
  { title: "a region that does not exist", change: (c) => (c.dev.account.region = "eu-westeros-1"), expect: [{ path: "dev.account.region", value: "eu-westeros-1", says: /must be one of .*"eu-west-1"/ }] },
  { title: "a CIDR that does not parse", change: (c) => (c.dev.network.cidr = "10.300.0.0/16"), expect: [{ path: "dev.network.cidr", value: "10.300.0.0/16", says: /IPv4 CIDR/ }] },
  { title: "a CIDR with host bits set", change: (c) => (c.dev.network.cidr = "10.10.1.0/16"), expect: [{ path: "dev.network.cidr", value: "10.10.1.0/16", says: /no host bits/ }] },
  { title: "a CIDR wider than /16", change: (c) => (c.stage.network.cidr = "10.0.0.0/8"), expect: [{ path: "stage.network.cidr", value: "10.0.0.0/8", says: /between \/16 and \/24/ }] },
  { title: "more availability zones than the region offers", change: (c) => (c.dev.network.availabilityZones = 4), expect: [{ path: "dev.network.availabilityZones", value: 4, says: /eu-west-1 offers 3 zones .*eu-west-1c.* at most 3/ }] },
  { title: "fewer than three availability zones", change: (c) => (c.dev.network.availabilityZones = 2), expect: [{ path: "dev.network.availabilityZones", value: 2, says: /at least 3/ }] },
  { title: "two environments with one state bucket", change: (c) => (c.stage.state.bucket = c.dev.state.bucket), expect: [{ path: "stage.state.bucket", value: "dp-terraform-state-111122223333", says: /also the state bucket of "dev".*global/ }] },
  { title: "the state in another region than the account", change: (c) => (c.stage.state.region = "eu-central-1"), expect: [{ path: "stage.state.region", value: "eu-central-1", says: /must be account.region \(eu-west-1\)/ }] },
  { title: "a state key that is not a .tfstate", change: (c) => (c.dev.state.key = "data-platform/dev.json"), expect: [{ path: "dev.state.key", value: "data-platform/dev.json", says: /\.tfstate/ }] },
  { title: "a lock table with a space", change: (c) => (c.dev.state.locking = { kind: "dynamodb", table: "locks table" }), expect: [{ path: "dev.state.locking.table", value: "locks table", says: /DynamoDB table name/ }] },
  { title: "an unknown locking kind", change: (c) => (c.dev.state.locking = { kind: "consul" }), expect: [{ path: "dev.state.locking.kind", value: "consul", says: /"lockfile", "dynamodb"/ }] },
  { title: "prod without prevent_destroy", change: (c) => (c.prod.protection.preventDestroy = false), expect: [{ path: "prod.protection.preventDestroy", value: false, says: /must be true in a production/ }] },
  { title: "prod with force_destroy", change: (c) => (c.prod.protection.forceDestroy = true), expect: [{ path: "prod.protection.forceDestroy", value: true, says: /must be false in a production/ }] },
  { title: "prevent_destroy and force_destroy together outside prod", change: (c) => Object.assign(c.dev.protection, { preventDestroy: true, forceDestroy: true }), expect: [{ path: "dev.protection.forceDestroy", value: true, says: /contradicts/ }] },
  { title: "prod with two days of stream replay", change: (c) => (c.prod.retention.streamHours = 48), expect: [{ path: "prod.retention.streamHours", value: 48, says: /at least 168/ }] },
  { title: "prod keeping logs 90 days", change: (c) => (c.prod.retention.logDays = 90), expect: [{ path: "prod.retention.logDays", value: 90, says: /at least 365/ }] },
  { title: "prod with a 7-day key deletion window", change: (c) => (c.prod.protection.kmsDeletionWindowDays = 7), expect: [{ path: "prod.protection.kmsDeletionWindowDays", value: 7, says: /at least 30/ }] },
  { title: "a key deletion window KMS does not offer", change: (c) => (c.dev.protection.kmsDeletionWindowDays = 31), expect: [{ path: "dev.protection.kmsDeletionWindowDays", value: 31, says: /<= 30/ }] },
  { title: "prod logging execution data (policy SFN-LOG)", change: (c) => (c.prod.observability.stepFunctionsIncludeExecutionData = true), expect: [{ path: "prod.observability.stepFunctionsIncludeExecutionData", value: true, says: /SFN-LOG/ }] },
  { title: "a log retention CloudWatch does not offer", change: (c) => (c.dev.retention.logDays = 10), expect: [{ path: "dev.retention.logDays", value: 10, says: /CloudWatch Logs retention/ }] },
  { title: "a stream retention beyond a year", change: (c) => (c.dev.retention.streamHours = 9000), expect: [{ path: "dev.retention.streamHours", value: 9000, says: /<= 8760/ }] },
  { title: "max workers below workers", change: (c) => Object.assign(c.dev.streaming, { workers: 4, maxWorkers: 2 }), expect: [{ path: "dev.streaming.maxWorkers", value: 2, says: />= streaming.workers \(4\)/ }] },
  { title: "an RPU capacity that is not a multiple of 8", change: (c) => (c.dev.warehouse.baseCapacityRpu = 12), expect: [{ path: "dev.warehouse.baseCapacityRpu", value: 12, says: /multiple of 8/ }] },
  { title: "max capacity below base capacity", change: (c) => (c.prod.warehouse.maxCapacityRpu = 16), expect: [{ path: "prod.warehouse.maxCapacityRpu", value: 16, says: />= warehouse.baseCapacityRpu \(32\)/ }] },
  { title: "no usage limit", change: (c) => (c.dev.warehouse.usageLimits = []), expect: [{ path: "dev.warehouse.usageLimits", value: [], says: /cost brake/ }] },
  { title: "two usage limits for one period", change: (c) => c.prod.warehouse.usageLimits.push({ period: "daily", rpuHours: 10, breachAction: "log" }), expect: [{ path: "prod.warehouse.usageLimits[2].period", value: "daily", says: /repeats usageLimits\[0\].*one limit per period/ }] },
  { title: "an unknown breach action", change: (c) => (c.dev.warehouse.usageLimits[0].breachAction = "stop"), expect: [{ path: "dev.warehouse.usageLimits[0].breachAction", value: "stop", says: /"log", "emit-metric", "deactivate"/ }] },
  { title: "a deploy role (the CI roles apply directly)", change: (c) => (c.stage.account.deployRoleArn = "arn:aws:iam::444455556666:role/dp-stage-deployer"), expect: [{ path: "stage.account.deployRoleArn", value: "arn:aws:iam::444455556666:role/dp-stage-deployer", says: /is not a known key.*valid keys: id, region/ }] },
  { title: "an RPU capacity above 512 not in units of 32", change: (c) => Object.assign(c.dev.warehouse, { baseCapacityRpu: 520, maxCapacityRpu: 520 }), expect: [{ path: "dev.warehouse.baseCapacityRpu", value: 520, says: /520 RPUs: .*units of 32 in eu-west-1/ }] },
  { title: "a deactivating usage limit with always-on streaming jobs", change: (c) => (c.stage.warehouse.usageLimits[1].breachAction = "deactivate"), expect: [{ path: "stage.warehouse.usageLimits[1].breachAction", value: "deactivate", says: /fail in a loop/ }] },
  { title: "a batch worker type for streaming jobs only", change: (c) => (c.dev.streaming.batchWorkerType = "G.025X"), expect: [{ path: "dev.streaming.batchWorkerType", value: "G.025X", says: /must be one of .*"G.1X"/ }] },
  { title: "a streaming jobs mode that does not exist", change: (c) => (c.dev.streaming.jobs = "sometimes"), expect: [{ path: "dev.streaming.jobs", value: "sometimes", says: /"always-on".*"on-demand".*"off"/ }] },
  { title: "a warehouse load interval in fractions of a minute", change: (c) => (c.dev.warehouse.loadIntervalMinutes = 7.5), expect: [{ path: "dev.warehouse.loadIntervalMinutes", value: 7.5, says: /integer/ }] },
  { title: "a warehouse load interval beyond a day", change: (c) => (c.prod.warehouse.loadIntervalMinutes = 2000), expect: [{ path: "prod.warehouse.loadIntervalMinutes", value: 2000, says: /<= 1440/ }] },
  { title: "a budget of nothing", change: (c) => (c.dev.budget.monthlyUsd = 0), expect: [{ path: "dev.budget.monthlyUsd", value: 0, says: /> 0/ }] },
  { title: "streaming jobs running more hours than a month has", change: (c) => (c.dev.usage.streamingJobHoursPerMonth = 800), expect: [{ path: "dev.usage.streamingJobHoursPerMonth", value: 800, says: /730/ }] },
  { title: "an alarm address that is no e-mail", change: (c) => (c.dev.alarms.emails = ["ops-at-example"]), expect: [{ path: "dev.alarms.emails[0]", value: "ops-at-example", says: /e-mail/ }] },
  { title: "a misspelt section", change: (c) => (c.dev.retenton = { logDays: 14 }), expect: [{ path: "dev.retenton", value: { logDays: 14 }, says: /not a known key.*valid keys: name, tier, account.*retention/ }] },
  { title: "a misspelt field inside a section", change: (c) => (c.dev.network.natGatway = true), expect: [{ path: "dev.network.natGatway", value: true, says: /valid keys: cidr, availabilityZones, natGateway/ }] },
  { title: "a missing section", change: (c) => delete c.dev.athena, expect: [{ path: "dev.athena", value: undefined, says: /is required/ }] },
  { title: "two environments with one name", change: (c) => Object.assign(c.stage, { name: "dev" }), expect: [{ path: "dev.name", value: "dev", says: /also the name of environment "dev"/ }] },
  { title: "an environment name in capitals", change: (c) => (c.dev.name = "Dev"), expect: [{ path: "Dev.name", value: "Dev", says: /2-8 lowercase/ }] },
  { title: "an environment name of eleven letters", change: (c) => (c.dev.name = "development"), expect: [{ path: "development.name", value: "development", says: /2-8 lowercase/ }] },
  { title: "a QuickSight subscription without BI", change: (c) => (c.dev.bi.createAccountSubscription = true), expect: [{ path: "dev.bi.createAccountSubscription", value: true, says: /needs bi.enabled/ }] },
  { title: "one group for authors and readers", change: (c) => (c.prod.bi.readerGroup = c.prod.bi.authorGroup), expect: [{ path: "prod.bi.readerGroup", value: "data-platform-authors", says: /equals bi.authorGroup/ }] },
  { title: "an Athena cutoff below 10 MB", change: (c) => (c.dev.athena.bytesScannedCutoffPerQuery = 1_000_000), expect: [{ path: "dev.athena.bytesScannedCutoffPerQuery", value: 1_000_000, says: /at least 10 MB/ }] },
  { title: "a crawler polled every 5 seconds", change: (c) => (c.dev.catalog.crawlerPollSeconds = 5), expect: [{ path: "dev.catalog.crawlerPollSeconds", value: 5, says: />= 10/ }] },
  { title: "a batch schedule as a rate (Glue triggers take cron only)", change: (c) => (c.dev.streaming.batchSchedule = "rate(1 hour)"), expect: [{ path: "dev.streaming.batchSchedule", value: "rate(1 hour)", says: /Glue triggers take cron expressions only/ }] },
  { title: "a batch schedule at minute 61", change: (c) => (c.dev.streaming.batchSchedule = "cron(61 6 * * ? *)"), expect: [{ path: "dev.streaming.batchSchedule", value: "cron(61 6 * * ? *)", says: /minutes "61".*0-59/ }] },
  { title: "a batch schedule with both day fields set", change: (c) => (c.dev.streaming.batchSchedule = "cron(0 6 * * MON *)"), expect: [{ path: "dev.streaming.batchSchedule", value: "cron(0 6 * * MON *)", says: /exactly one of day-of-month .* must be "\?"/ }] },
  { title: "a batch schedule every 2 minutes", change: (c) => (c.dev.streaming.batchSchedule = "cron(0/2 * * * ? *)"), expect: [{ path: "dev.streaming.batchSchedule", value: "cron(0/2 * * * ? *)", says: /at most every 5 minutes/ }] },
  { title: "a batch schedule with # (EventBridge only)", change: (c) => (c.dev.streaming.batchSchedule = "cron(0 6 ? * 2#1 *)"), expect: [{ path: "dev.streaming.batchSchedule", value: "cron(0 6 ? * 2#1 *)", says: /Glue triggers do not take "#"/ }] },
  { title: "a batch schedule with five fields", change: (c) => (c.dev.streaming.batchSchedule = "cron(0 6 * * ?)"), expect: [{ path: "dev.streaming.batchSchedule", value: "cron(0 6 * * ?)", says: /has 5 cron field\(s\); Glue triggers need 6/ }] },
  { title: "a catch-up schedule in words", change: (c) => (c.dev.catalog.catchUpSchedule = "nightly"), expect: [{ path: "dev.catalog.catchUpSchedule", value: "nightly", says: /EventBridge Scheduler accept/ }] },
  { title: "a catch-up rate with a plural unit for 1", change: (c) => (c.dev.catalog.catchUpSchedule = "rate(1 days)"), expect: [{ path: "dev.catalog.catchUpSchedule", value: "rate(1 days)", says: /singular unit: rate\(1 day\)/ }] },
  { title: "a catch-up schedule on 30 February", change: (c) => (c.dev.catalog.catchUpSchedule = "cron(0 2 30 FEB ? *)"), expect: [{ path: "dev.catalog.catchUpSchedule", value: "cron(0 2 30 FEB ? *)", says: /never fires: day-of-month 30 does not occur in FEB/ }] },
  { title: "a one-time catch-up", change: (c) => (c.dev.catalog.catchUpSchedule = "at(2026-12-01T02:00:00)"), expect: [{ path: "dev.catalog.catchUpSchedule", value: "at(2026-12-01T02:00:00)", says: /runs once; this schedule must recur/ }] },
  { title: "an extra tag overriding a platform tag", change: (c) => (c.dev.tags.extra = { environment: "production" }), expect: [{ path: "dev.tags.extra.environment", value: "production", says: /set by the platform.*cannot override it/ }] },
  { title: "an extra tag overriding the owner", change: (c) => (c.dev.tags.extra = { owner: "someone-else" }), expect: [{ path: "dev.tags.extra.owner", value: "someone-else", says: /set tags.owner instead/ }] },
  { title: "a tag key AWS reserves", change: (c) => (c.dev.tags.extra = { "aws:team": "data" }), expect: [{ path: "dev.tags.extra.aws:team", value: "data", says: /starts with "aws:"/ }] },
  { title: "a tag value with characters AWS refuses", change: (c) => (c.dev.tags.extra = { team: "data|platform" }), expect: [{ path: "dev.tags.extra.team", value: "data|platform", says: /may use only letters, digits, spaces and/ }] },
  { title: "more extra tags than fit under AWS's 50", change: (c) => (c.dev.tags.extra = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`t${i}`, "v"]))), expect: [{ path: "dev.tags.extra", value: "41 tags", says: /at most 40: AWS allows 50 tags/ }] },
  { title: "an owner tag too long for AWS", change: (c) => (c.dev.tags.owner = long(257)), expect: [{ path: "dev.tags.owner", value: long(257), says: /257 characters; AWS takes at most 256/ }] },
  { title: "two environments creating the account's GitHub OIDC provider", change: (c) => Object.assign(c.stage.account, { id: "111122223333" }), expect: [{ path: "stage.ci.createOidcProvider", value: true, says: /"dev" already creates the GitHub OIDC provider .*account 111122223333/ }] },
  { title: "no environment creating the GitHub OIDC provider", change: (c) => (c.stage.ci.createOidcProvider = false), expect: [{ path: "stage.ci.createOidcProvider", value: false, says: /no environment creates the GitHub OIDC provider .*for account 444455556666/ }] },
  { title: "two environments in one account and region", change: (c) => Object.assign(c.stage.account, { id: "111122223333" }), expect: [{ path: "stage.account.region", value: "eu-west-1", says: /Glue Data Catalog encryption settings/ }] },
  { title: "two QuickSight subscriptions in one account", change: (c) => { Object.assign(c.stage.account, { id: "777788889999", region: "eu-central-1" }); Object.assign(c.stage.state, { region: "eu-central-1" }); c.stage.ci.createOidcProvider = false; c.stage.bi.createAccountSubscription = true; c.prod.bi.createAccountSubscription = true; }, expect: [{ path: "prod.bi.createAccountSubscription", value: true, says: /"stage" already creates the QuickSight account subscription/ }] },
];

/** A reference data set of attendees, changed by `change`. */
const reference = (c: Inputs, change: (ref: any) => void) => change(c.attendees.references[0]);

const pipelineCases: BadInput[] = [
  { title: "an unknown field type", change: (c) => (field(c.attendees, "company").type = "varchar"), expect: [{ path: "pipelines.attendees.schema.fields[4].type", value: "varchar", says: /one of string, int, long/ }] },
  { title: "a decimal precision out of range", change: (c) => (field(c.attendees, "company").type = "decimal(40,2)"), expect: [{ path: "pipelines.attendees.schema.fields[4].type", value: "decimal(40,2)", says: /precision must be between 1 and 38/ }] },
  { title: "a decimal scale above its precision", change: (c) => (field(c.attendees, "company").type = "decimal(5,7)"), expect: [{ path: "pipelines.attendees.schema.fields[4].type", value: "decimal(5,7)", says: /scale \(7\) must not exceed/ }] },
  { title: "a maxLength on a timestamp", change: (c) => (field(c.attendees, "registered_at").maxLength = 20), expect: [{ path: "pipelines.attendees.schema.fields[7].maxLength", value: 20, says: /string fields only/ }] },
  { title: "a PII rule on a field not in the schema", change: (c) => (c.attendees.sensitive.mobile = { classification: "phone", lake: "mask", warehouse: "partial" }), expect: [{ path: "pipelines.attendees.sensitive.mobile", value: "mobile", says: /not a field of the schema; choose one of: attendee_id/ }] },
  { title: "a PII rule on a timestamp", change: (c) => (c.attendees.sensitive.registered_at = { classification: "free_text", lake: "keep", warehouse: "drop" }), expect: [{ path: "pipelines.attendees.sensitive.registered_at", value: "registered_at", says: /only string fields/ }] },
  { title: "a warehouse action that keeps PII", change: (c) => (c.attendees.sensitive.email.warehouse = "keep"), expect: [{ path: "pipelines.attendees.sensitive.email.warehouse", value: "keep", says: /"hash", "redact", "partial", "drop"/ }] },
  { title: "an unknown entity type to detect", change: (c) => (c.attendees.detection = { entities: { passport: { warehouse: "hash" } } }), expect: [{ path: "pipelines.attendees.detection.entities.passport", value: { warehouse: "hash" }, says: /not a known key.*valid keys: email, aws_access_key, iban, ipv6, ipv4, credit_card, us_ssn, phone/ }] },
  { title: "a detection action that keeps values in the warehouse", change: (c) => (c.attendees.detection = { entities: { email: { warehouse: "keep" } } }), expect: [{ path: "pipelines.attendees.detection.entities.email.warehouse", value: "keep", says: /must be one of "redact", "hash"/ }] },
  { title: "an unknown detection action for the lake", change: (c) => (c.attendees.detection = { lake: "mask" }), expect: [{ path: "pipelines.attendees.detection.lake", value: "mask", says: /must be one of "keep", "redact", "hash"/ }] },
  { title: "an unknown entity expected in a column", change: (c) => (c.attendees.detection = { expected: { company: ["email", "passport"] } }), expect: [{ path: "pipelines.attendees.detection.expected.company[1]", value: "passport", says: /must be one of "email", "aws_access_key"/ }] },
  { title: "an exempt column without a reason", change: (c) => (c.attendees.detection = { exempt: { company: { reason: "no" } } }), expect: [{ path: "pipelines.attendees.detection.exempt.company.reason", value: "no", says: /reason of at least 10 characters/ }] },
  {
    title: "detection settings on columns that are not scanned or do not exist",
    change: (c) =>
      (c.attendees.detection = {
        exempt: { registered_at: { reason: "a timestamp column" }, notes: { reason: "free text we trust" }, company: { reason: "company names only" } },
        expected: { shoe_size: ["phone"], company: ["email"] },
      }),
    expect: [
      { path: "pipelines.attendees.detection.exempt.registered_at", value: "registered_at", says: /is timestamp; only string columns are scanned: attendee_id, email/ },
      { path: "pipelines.attendees.detection.exempt.notes", value: "notes", says: /declared in sensitive \(free_text\)/ },
      { path: "pipelines.attendees.detection.expected.shoe_size", value: "shoe_size", says: /not a column of the pipeline/ },
      { path: "pipelines.attendees.detection.expected.company", value: "company", says: /also exempt/ },
    ],
  },
  { title: "an event id that is no field", change: (c) => (c.attendees.schema.eventId = "registration_id"), expect: [{ path: "pipelines.attendees.schema.eventId", value: "registration_id", says: /not a field of the schema/ }] },
  { title: "an event id of the wrong type", change: (c) => (c.attendees.schema.eventId = "registered_at"), expect: [{ path: "pipelines.attendees.schema.eventId", value: "registered_at", says: /must be string, int or long/ }] },
  { title: "an optional event id", change: (c) => delete field(c.attendees, "attendee_id").required, expect: [{ path: "pipelines.attendees.schema.eventId", value: "attendee_id", says: /must be a required field/ }] },
  { title: "an event time that is no field", change: (c) => (c.attendees.schema.eventTime = "created_at"), expect: [{ path: "pipelines.attendees.schema.eventTime", value: "created_at", says: /not a field of the schema/ }] },
  { title: "an event time of the wrong type", change: (c) => (c.attendees.schema.eventTime = "ticket_type"), expect: [{ path: "pipelines.attendees.schema.eventTime", value: "ticket_type", says: /must be a timestamp/ }] },
  { title: "a join key missing on the event side", change: (c) => reference(c, (r) => (r.joinKey.event = "country")), expect: [{ path: "pipelines.attendees.references[0].joinKey.event", value: "country", says: /not a field of the event/ }] },
  { title: "a join key missing on the reference side", change: (c) => reference(c, (r) => (r.joinKey.reference = "iso2")), expect: [{ path: "pipelines.attendees.references[0].joinKey.reference", value: "iso2", says: /it has: code, name, region/ }] },
  { title: "a reference file that does not exist", change: (c) => reference(c, (r) => (r.source.file = "nations.csv")), expect: [{ path: "pipelines.attendees.references[0].source.file", value: "nations.csv", says: /does not exist/ }] },
  { title: "a csv file declared as json", change: (c) => reference(c, (r) => (r.source.format = "json")), expect: [{ path: "pipelines.attendees.references[0].source.format", value: "json", says: /does not match the file countries.csv, which is csv/ }] },
  { title: "a json file that is not JSON Lines", files: { "venues.json": '[\n{"code": "A"}\n]\n' }, change: (c) => reference(c, (r) => Object.assign(r, { source: { kind: "file", file: "venues.json", format: "json" }, joinKey: { event: "country_code", reference: "code" }, columns: [{ name: "code", as: "venue_code", description: "Venue" }] })), expect: [{ path: "pipelines.attendees.references[0].source.file", value: "venues.json", says: /line 1 is not JSON; json reference data is JSON Lines/ }] },
  { title: "a csv file with a ragged row", files: { "regions.csv": "code,name\nAD,Andorra\nAE\n" }, change: (c) => reference(c, (r) => Object.assign(r, { source: { kind: "file", file: "regions.csv", format: "csv" }, columns: [{ name: "name", as: "region_name", description: "Region" }] })), expect: [{ path: "pipelines.attendees.references[0].source.file", value: "regions.csv", says: /line 3 has 1 fields; the header has 2/ }] },
  { title: "a reference whose join key repeats", files: { "dupes.csv": "code,name\nAD,Andorra\nAD,Andorra again\n" }, change: (c) => reference(c, (r) => Object.assign(r, { source: { kind: "file", file: "dupes.csv", format: "csv" }, columns: [{ name: "name", as: "dupe_name", description: "Name" }] })), expect: [{ path: "pipelines.attendees.references[0].joinKey.reference", value: "code", says: /holds the key "AD" more than once in dupes.csv/ }] },
  { title: "two pipelines with one name", change: (c) => c.pipelines.push({ ...structuredClone(c.attendees), description: "copy" }), expect: [{ path: "pipelines.attendees.name", value: "attendees", says: /also the name of pipeline #1/ }] },
  {
    title: "two pipelines whose names differ only in underscores",
    change: (c) => c.pipelines.push({ ...structuredClone(c.session_checkins), name: "session__checkins", warehouse: { ...structuredClone(c.session_checkins.warehouse), table: "checkins_copy", materializedViews: [] }, bi: undefined }),
    expect: [{ path: "pipelines.session__checkins.name", value: "session__checkins", says: /names the same resources as pipeline "session_checkins"/ }],
  },
  {
    title: "two pipelines whose derived names coincide",
    change: (c) => c.pipelines.push({ ...structuredClone(c.session_checkins), name: "attendees_attendees", warehouse: { table: "other_checkins", materializedViews: [{ ...structuredClone(c.session_checkins.warehouse.materializedViews[0]), name: "by_country" }] }, bi: undefined }),
    expect: [{ path: "pipelines.attendees_attendees.name", value: "attendees_attendees", says: /makes the generic name "dp-dev-attendees-attendees-by-country", which pipeline "attendees" makes too/ }],
  },
  { title: "a field declared twice", change: (c) => c.attendees.schema.fields.push({ name: "email", type: "string", description: "again" }), expect: [{ path: "pipelines.attendees.schema.fields", value: "email", says: /declared more than once/ }] },
  { title: "a view declared twice", change: (c) => c.attendees.warehouse.materializedViews.push(structuredClone(c.attendees.warehouse.materializedViews[0])), expect: [{ path: "pipelines.attendees.warehouse.materializedViews", value: "attendees_by_country", says: /more than one table or view/ }] },
  { title: "a pipeline name in kebab case", change: (c) => (c.attendees.name = "Attendees-Stream"), expect: [{ path: "pipelines.Attendees-Stream.name", value: "Attendees-Stream", says: /lowercase snake_case.*"attendees_stream"/ }] },
  { title: "a pipeline name of 41 characters", change: (c) => (c.attendees.name = long(41)), expect: [{ path: `pipelines.${long(41)}.name`, value: long(41), says: /at most 40/ }] },
  { title: "a pipeline name ending in an underscore", change: (c) => (c.session_checkins.name = "checkins_"), expect: [{ path: "pipelines.checkins_.name", value: "checkins_", says: /AWS refuses, e.g. .*must use lowercase letters, digits and hyphens/ }] },
  { title: "a pipeline whose stack would be the bootstrap stack", change: (c) => (c.session_checkins.name = "bootstrap"), expect: [{ path: "pipelines.bootstrap.name", value: "bootstrap", says: /is reserved: its stack would be the environment's bootstrap stack/ }] },
  { title: "a field named with a Redshift reserved word", change: (c) => (field(c.attendees, "company").name = "user"), expect: [{ path: "pipelines.attendees.schema.fields[4].name", value: "user", says: /reserved word in Redshift/ }] },
  { title: "a table named with a reserved word", change: (c) => (c.attendees.warehouse.table = "order"), expect: [{ path: "pipelines.attendees.warehouse.table", value: "order", says: /reserved word/ }] },
  { title: "a field that shadows a partition column", change: (c) => (field(c.attendees, "company").name = "year"), expect: [{ path: "pipelines.attendees.schema.fields[4].name", value: "year", says: /partition column/ }] },
  { title: "SQL naming a view that does not exist", change: (c) => (c.session_checkins.transform.sql = "SELECT events.*, 1 AS scan_hour FROM events JOIN rooms ON true"), expect: [{ path: "pipelines.session_checkins.transform.sql", value: "rooms", says: /available views: events, sessions/ }] },
  { title: "SQL reading an unknown view in a comma join", change: (c) => (c.session_checkins.transform.sql = "SELECT e.*, 1 AS scan_hour FROM events e, rooms r WHERE e.x = r.id"), expect: [{ path: "pipelines.session_checkins.transform.sql", value: "rooms", says: /view that does not exist/ }] },
  { title: "SQL with two statements", change: (c) => (c.session_checkins.transform.sql = "SELECT * FROM events; DROP TABLE x"), expect: [{ path: "pipelines.session_checkins.transform.sql", value: "SELECT * FROM events; DROP TABLE x", says: /single statement/ }] },
  { title: "SQL that is not a query", change: (c) => (c.session_checkins.transform.sql = "DELETE FROM events"), expect: [{ path: "pipelines.session_checkins.transform.sql", value: "DELETE FROM events", says: /starting with SELECT or WITH/ }] },
  { title: "SQL reading a catalog table by its qualified name", change: (c) => (c.session_checkins.transform.sql = "SELECT e.*, 1 AS scan_hour FROM events e JOIN prod.rooms r ON true"), expect: [{ path: "pipelines.session_checkins.transform.sql", value: "prod.rooms", says: /by their plain names/ }] },
  { title: "a transform column the events view has already", change: (c) => (c.session_checkins.transform.columns[0].name = "session_id"), expect: [{ path: "pipelines.session_checkins.transform.columns[0].name", value: "session_id", says: /collides with the event field "session_id"/ }] },
  { title: "a reference column named like an event field", change: (c) => reference(c, (r) => (r.columns[0].as = "company")), expect: [{ path: "pipelines.attendees.references[0].columns[0].as", value: "company", says: /collides with the event field.*set `as`/ }] },
  { title: "two reference columns with one output name", change: (c) => reference(c, (r) => (r.columns[1].as = "country_name")), expect: [{ path: "pipelines.attendees.references[0].columns[1].as", value: "country_name", says: /collides with the column of reference "countries" "country_name"/ }] },
  { title: "a sort key column that is not in the table", change: (c) => (c.attendees.warehouse.sortKey = ["created_at"]), expect: [{ path: "pipelines.attendees.warehouse.sortKey[0]", value: "created_at", says: /not a column of the warehouse table/ }] },
  { title: "a sort key on a column the warehouse drops", change: (c) => (c.session_checkins.warehouse.sortKey = ["scanner_ip"]), expect: [{ path: "pipelines.session_checkins.warehouse.sortKey[0]", value: "scanner_ip", says: /dropped from the warehouse/ }] },
  { title: "a sort key naming a column twice", change: (c) => (c.attendees.warehouse.sortKey = ["registered_at", "ticket_type", "registered_at"]), expect: [{ path: "pipelines.attendees.warehouse.sortKey[2]", value: "registered_at", says: /repeats sortKey\[0\]/ }] },
  { title: "KEY distribution without a key", change: (c) => delete c.attendees.warehouse.distKey, expect: [{ path: "pipelines.attendees.warehouse.distKey", value: undefined, says: /required when distStyle is "key"/ }] },
  { title: "a dist key with EVEN distribution", change: (c) => (c.session_checkins.warehouse.distKey = "checkin_id"), expect: [{ path: "pipelines.session_checkins.warehouse.distKey", value: "checkin_id", says: /applies only to distStyle "key"/ }] },
  { title: "a view grouping by an unknown column", change: (c) => (c.attendees.warehouse.materializedViews[0].groupBy = ["continent"]), expect: [{ path: "pipelines.attendees.warehouse.materializedViews[0].groupBy[0]", value: "continent", says: /not a column/ }] },
  { title: "a sum over a text column", change: (c) => c.attendees.warehouse.materializedViews[0].measures.push({ name: "x", aggregate: "sum", column: "company", description: "x" }), expect: [{ path: "pipelines.attendees.warehouse.materializedViews[0].measures[1].aggregate", value: "sum", says: /numeric column/ }] },
  { title: "two pipelines writing one warehouse table", change: (c) => (c.session_checkins.warehouse.table = "attendees"), expect: [{ path: "pipelines.session_checkins.warehouse.table", value: "attendees", says: /also the table of pipelines.attendees/ }] },
  { title: "two pipelines naming one materialized view", change: (c) => (c.session_checkins.warehouse.materializedViews[0].name = "attendees_by_country"), expect: [{ path: "pipelines.session_checkins.warehouse.materializedViews[0].name", value: "attendees_by_country", says: /also the materialized view of pipelines.attendees/ }] },
  { title: "a view named like another pipeline's table", change: (c) => (c.session_checkins.warehouse.materializedViews[0].name = "attendees"), expect: [{ path: "pipelines.session_checkins.warehouse.materializedViews[0].name", value: "attendees", says: /also the table of pipelines.attendees/ }] },
  { title: "a BI map column of another source", change: (c) => (c.attendees.bi.geographic = [{ column: "company", role: "CITY" }]), expect: [{ path: "pipelines.attendees.bi.geographic[0].column", value: "company", says: /source "attendees_by_country"/ }] },
  { title: "BI without a warehouse table", change: (c) => delete c.attendees.warehouse, expect: [{ path: "pipelines.attendees.bi.publish", value: true, says: /needs a warehouse table/ }] },
  { title: "BI reading a view that does not exist", change: (c) => (c.attendees.bi.source = "attendees_by_city"), expect: [{ path: "pipelines.attendees.bi.source", value: "attendees_by_city", says: /choose one of: table, attendees_by_country/ }] },
  { title: "a published description too long to name a data set", change: (c) => { c.session_checkins.description = long(129); delete c.session_checkins.bi.friendlyName; }, expect: [{ path: "pipelines.session_checkins.description", value: long(129), says: /at most 128: set bi.friendlyName/ }] },
  { title: "a published column description too long for QuickSight", change: (c) => reference(c, (r) => (r.columns[0].description = long(501))), expect: [{ path: "pipelines.attendees.references[0].columns[0].description", value: long(501), says: /501 characters .* at most 500/ }] },
  { title: "a hashed column whose masking note makes it too long", change: (c) => { c.session_checkins.bi.source = "table"; c.session_checkins.sensitive.attendee_id = { classification: "free_text", lake: "keep", warehouse: "hash" }; field(c.session_checkins, "attendee_id").description = long(490); c.session_checkins.warehouse.materializedViews[0].measures.pop(); }, expect: [{ path: "pipelines.session_checkins.schema.fields[1].description", value: `${long(490)} (SHA-256 with pepper)`, says: /512 characters as QuickSight shows it/ }] },
  { title: "a published view name longer than QuickSight's table ids", change: (c) => { c.attendees.warehouse.materializedViews[0].name = `v${long(64)}`; c.attendees.bi.source = `v${long(64)}`; }, expect: [{ path: "pipelines.attendees.bi.source", value: `v${long(64)}`, says: /65 characters; QuickSight .* at most 64/ }] },
  { title: "the sample dashboard's map column without a geographic role", change: (c) => delete c.attendees.bi.geographic, expect: [{ path: "pipelines.attendees.bi.geographic", value: [], says: /sample dashboard's filled map needs one/ }] },
  { title: "the sample dashboard's measure gone from its data set", change: (c) => (c.attendees.warehouse.materializedViews[0].measures[0].name = "attendees_total"), expect: [{ path: "pipelines.attendees.bi.source", value: "attendees_by_country", says: /no column "attendee_count", which the sample dashboard's measure shows/ }] },
  { title: "an override for an unknown environment", change: (c) => (c.attendees.environments = { qa: { shards: 2 } }), expect: [{ path: "pipelines.attendees.environments.qa", value: "qa", says: /choose one of: dev, stage, prod/ }] },
  { title: "an override with zero shards", change: (c) => (c.attendees.environments = { prod: { shards: 0 } }), expect: [{ path: "pipelines.attendees.environments.prod.shards", value: 0, says: />= 1/ }] },
  { title: "an override with max workers below workers", change: (c) => (c.attendees.environments = { prod: { workers: 6, maxWorkers: 4 } }), expect: [{ path: "pipelines.attendees.environments.prod.maxWorkers", value: 4, says: />= workers \(6\)/ }] },
  { title: "prod's stream replay cut by an override (policy KDS-RET)", change: (c) => (c.attendees.environments = { prod: { streamRetentionHours: 48 } }), expect: [{ path: "pipelines.attendees.environments.prod.streamRetentionHours", value: 48, says: /at least 168 in the production environment "prod"/ }] },
  { title: "a misspelt section", change: (c) => (c.attendees.warehuose = {}), expect: [{ path: "pipelines.attendees.warehuose", value: {}, says: /not a known key.*valid keys: name, owner, description, schema/ }] },
  { title: "a misspelt key of a field", change: (c) => (field(c.attendees, "email").requird = true), expect: [{ path: "pipelines.attendees.schema.fields[1].requird", value: true, says: /valid keys: name, type, required, description, maxLength/ }] },
  { title: "an owner with capitals", change: (c) => (c.attendees.owner = "Events Team"), expect: [{ path: "pipelines.attendees.owner", value: "Events Team", says: /team name in lowercase/ }] },
  { title: "an empty description", change: (c) => (c.attendees.description = ""), expect: [{ path: "pipelines.attendees.description", value: "", says: /needs a description/ }] },
  { title: "records larger than Kinesis takes", change: (c) => (c.attendees.schema.maxRecordBytes = 2_000_000), expect: [{ path: "pipelines.attendees.schema.maxRecordBytes", value: 2_000_000, says: /at most 1 MiB/ }] },
  { title: "a pipeline's view name that fits alone but not with the longest environment name", change: (c) => { sandbox(c, "sandbox1"); longView(c); }, expect: [{ path: "pipelines.attendees.name", value: "attendees", says: /in environment "sandbox1" makes 1 resource name\(s\) AWS refuses, e.g. generic name "dp-sandbox1-attendees-vx+" is 130 characters; the limit is 128/ }] },
];

/** Several problems at once: every one of them must be in the one report. */
const combinedCases: BadInput[] = [
  {
    title: "a schema error and a cross-field rule in one environment",
    change: (c) => {
      c.dev.account.id = "1111";
      Object.assign(c.dev.streaming, { workers: 4, maxWorkers: 2 });
      c.dev.warehouse.usageLimits.push({ period: "daily", rpuHours: 1, breachAction: "log" });
    },
    expect: [
      { path: "dev.account.id", value: "1111", says: /12-digit/ },
      { path: "dev.streaming.maxWorkers", value: 2, says: />= streaming.workers/ },
      { path: "dev.warehouse.usageLimits[1].period", value: "daily", says: /one limit per period/ },
    ],
  },
  {
    title: "an environment error and pipeline errors",
    change: (c) => {
      c.prod.network.cidr = "nope";
      c.attendees.schema.eventId = "nope";
      c.session_checkins.transform.sql = "SELECT * FROM ghosts";
    },
    expect: [
      { path: "prod.network.cidr", value: "nope", says: /IPv4 CIDR/ },
      { path: "pipelines.attendees.schema.eventId", value: "nope", says: /not a field/ },
      { path: "pipelines.session_checkins.transform.sql", value: "ghosts", says: /does not exist/ },
    ],
  },
  {
    title: "an unknown type and the semantic checks of the same pipeline",
    change: (c) => {
      field(c.attendees, "company").type = "varchar";
      c.attendees.schema.eventTime = "created_at";
      c.attendees.warehouse.sortKey = ["ghost"];
      c.attendees.sensitive.mobile = { classification: "phone", lake: "mask", warehouse: "partial" };
      c.attendees.sensitive.email.warehouse = "keep";
    },
    expect: [
      { path: "pipelines.attendees.schema.fields[4].type", value: "varchar", says: /one of string/ },
      { path: "pipelines.attendees.schema.eventTime", value: "created_at", says: /not a field/ },
      { path: "pipelines.attendees.warehouse.sortKey[0]", value: "ghost", says: /not a column of the warehouse table/ },
      { path: "pipelines.attendees.sensitive.email.warehouse", value: "keep", says: /"hash"/ },
      { path: "pipelines.attendees.sensitive.mobile", value: "mobile", says: /not a field of the schema/ },
    ],
  },
  {
    title: "a broken environment whose name still makes a pipeline's names too long",
    change: (c) => {
      const env = sandbox(c, "sandbox1");
      env.network.cidr = "10.40.0.1/16";
      env.catalog.catchUpSchedule = "cron(0 2 * * * *)";
      longView(c);
    },
    expect: [
      { path: "sandbox1.network.cidr", value: "10.40.0.1/16", says: /no host bits/ },
      { path: "sandbox1.catalog.catchUpSchedule", value: "cron(0 2 * * * *)", says: /exactly one of day-of-month/ },
      { path: "pipelines.attendees.name", value: "attendees", says: /in environment "sandbox1" makes/ },
    ],
  },
  {
    title: "problems across environments and across pipelines at once",
    change: (c) => {
      c.dev.account.region = "mars-1";
      c.stage.state.bucket = c.prod.state.bucket;
      c.session_checkins.warehouse.table = "attendees";
      c.attendees.warehuose = {};
      c.attendees.schema.eventTime = "ticket_type";
    },
    expect: [
      { path: "dev.account.region", value: "mars-1", says: /must be one of/ },
      { path: "prod.state.bucket", value: "dp-terraform-state-777788889999", says: /also the state bucket of "stage"/ },
      { path: "pipelines.session_checkins.warehouse.table", value: "attendees", says: /also the table of pipelines.attendees/ },
      { path: "pipelines.attendees.warehuose", value: {}, says: /not a known key/ },
      { path: "pipelines.attendees.schema.eventTime", value: "ticket_type", says: /must be a timestamp/ },
    ],
  },
  {
    title: "an override naming an environment whose other fields are broken, beside an unknown one",
    change: (c) => {
      c.stage.tags.extra = { project: "other" };
      c.stage.retention.logDays = 10;
      c.attendees.environments = { stage: { shards: 2 }, qa: { shards: 1 } };
    },
    expect: [
      { path: "stage.tags.extra.project", value: "other", says: /cannot override it/ },
      { path: "stage.retention.logDays", value: 10, says: /CloudWatch Logs retention/ },
      { path: "pipelines.attendees.environments.qa", value: "qa", says: /choose one of: dev, stage, prod/ },
    ],
  },
  {
    title: "schedules, tags and BI limits in one go",
    change: (c) => {
      c.prod.streaming.batchSchedule = "cron(0/1 * * * ? *)";
      c.prod.catalog.catchUpSchedule = "rate(0 minutes)";
      c.prod.tags.extra = { "managed-by": "hand" };
      c.attendees.bi.friendlyName = undefined;
      c.attendees.description = long(130);
    },
    expect: [
      { path: "prod.streaming.batchSchedule", value: "cron(0/1 * * * ? *)", says: /every minute; Glue triggers run at most every 5 minutes/ },
      { path: "prod.catalog.catchUpSchedule", value: "rate(0 minutes)", says: /positive whole number/ },
      { path: "prod.tags.extra.managed-by", value: "hand", says: /cannot override it/ },
      { path: "pipelines.attendees.description", value: long(130), says: /at most 128/ },
    ],
  },
];

function rejection(testCase: BadInput): ConfigValidationError {
  const c = inputs();
  testCase.change(c);
  let referenceDir: string | undefined;
  if (testCase.files) {
    referenceDir = mkdtempSync(join(tmpdir(), "dp-reference-"));
    cpSync(REFERENCE_DATA_DIR, referenceDir, { recursive: true });
    for (const [name, text] of Object.entries(testCase.files)) writeFileSync(join(referenceDir, name), text);
  }
  try {
    validateConfiguration({ environments: c.envs, pipelines: c.pipelines, referenceDir });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

const allCases = [...environmentCases, ...pipelineCases, ...combinedCases];

describe("bad input", () => {
  it("the shipped configuration is valid, so every refusal below comes from its case", () => {
    const { environments, pipelines } = validateConfiguration({ environments: ENVIRONMENT_CONFIGS, pipelines: PIPELINE_DEFINITIONS });
    expect(environments.map((e) => e.name)).toEqual(["dev", "stage", "prod"]);
    expect(pipelines.map((p) => p.name)).toEqual(["attendees", "session_checkins"]);
  });

  it("has at least 60 cases, at least 5 of them with several problems", () => {
    expect(allCases.length).toBeGreaterThanOrEqual(60);
    expect(allCases.filter((c) => c.expect.length > 1).length).toBeGreaterThanOrEqual(5);
  });

  it.each(allCases)("refuses $title, naming each path and value", (testCase) => {
    const error = rejection(testCase);
    for (const expected of testCase.expect) {
      const found = error.problems.filter((p) => p.path === expected.path);
      expect({ path: expected.path, found: found.map((p) => p.message) }).toEqual({ path: expected.path, found: expect.arrayContaining([expect.stringMatching(expected.says)]) });
      const problem = found.find((p) => expected.says.test(p.message))!;
      expect(problem.value).toEqual(expected.value);
      expect(error.message).toContain(`${expected.path}: ${renderValue(expected.value)}: ${problem.message}`);
    }
  });

  it("groups the report by the file to change", () => {
    const error = rejection(combinedCases[1]);
    expect(error.message).toMatch(/^Invalid configuration: 3 problems in 3 files\n\nenvironments\/prod\.ts\n {2}- prod\.network\.cidr: "nope"/);
    expect(error.message).toContain("\n\npipelines/attendees.ts\n  - pipelines.attendees.schema.eventId");
    expect(error.message).toContain("\n\npipelines/session-checkins.ts\n  - pipelines.session_checkins.transform.sql");
    expect(error.problems.map((p) => p.file)).toEqual(["environments/prod.ts", "pipelines/attendees.ts", "pipelines/session-checkins.ts"]);
  });
});
