import { ENVIRONMENT_CONFIGS } from "../../environments";
import { ConfigValidationError } from "../../lib/validation";
import { attendees } from "../../pipelines/attendees";
import { referenceFileColumns } from "../../pipelines/compile";
import { sessionCheckins } from "../../pipelines/session-checkins";
import { PipelineDefinition } from "../../pipelines/types";
import { validatePipelines, viewsNamedIn } from "../../pipelines/validate";

const input = { environmentNames: ENVIRONMENT_CONFIGS.map((e) => e.name), referenceFileColumns: (file: string) => referenceFileColumns(file) };

/** A deep, writable copy of the sample pipeline that a case may break. */
function broken(change: (d: any) => void, base: PipelineDefinition = attendees): any {
  const copy = structuredClone(base) as any;
  change(copy);
  return copy;
}

function rejection(definitions: unknown[]): ConfigValidationError {
  try {
    validatePipelines(definitions, input);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error("expected the definitions to be rejected");
}

const field = (name: string) => (d: any) => d.schema.fields.find((f: any) => f.name === name);

/** Each: what is broken, the definitions, the path the message must name, and words it must say. */
const cases: { title: string; defs: () => unknown[]; path: string; says: RegExp }[] = [
  { title: "unknown field type", defs: () => [broken((d) => (field("company")(d).type = "varchar"))], path: "pipelines.attendees.schema.fields[4].type", says: /one of string, int, long/ },
  { title: "decimal precision out of range", defs: () => [broken((d) => (field("company")(d).type = "decimal(40,2)"))], path: "pipelines.attendees.schema.fields[4].type", says: /precision must be between 1 and 38/ },
  { title: "decimal scale above precision", defs: () => [broken((d) => (field("company")(d).type = "decimal(5,7)"))], path: "pipelines.attendees.schema.fields[4].type", says: /scale \(7\) must not exceed/ },
  { title: "PII rule on a field not in the schema", defs: () => [broken((d) => (d.sensitive.mobile = { classification: "phone", lake: "mask", warehouse: "partial" }))], path: "pipelines.attendees.sensitive.mobile", says: /not a field of the schema; choose one of: attendee_id/ },
  { title: "PII rule on a non-string field", defs: () => [broken((d) => (d.sensitive.registered_at = { classification: "free_text", lake: "keep", warehouse: "drop" }))], path: "pipelines.attendees.sensitive.registered_at", says: /only string fields/ },
  { title: "unknown PII action for the warehouse", defs: () => [broken((d) => (d.sensitive.email.warehouse = "keep"))], path: "pipelines.attendees.sensitive.email.warehouse", says: /"hash", "redact", "partial", "drop"/ },
  { title: "event id field missing", defs: () => [broken((d) => (d.schema.eventId = "registration_id"))], path: "pipelines.attendees.schema.eventId", says: /not a field of the schema/ },
  { title: "event id of the wrong type", defs: () => [broken((d) => (d.schema.eventId = "registered_at"))], path: "pipelines.attendees.schema.eventId", says: /must be string, int or long/ },
  { title: "event id not required", defs: () => [broken((d) => delete field("attendee_id")(d).required)], path: "pipelines.attendees.schema.eventId", says: /must be a required field/ },
  { title: "event time field missing", defs: () => [broken((d) => (d.schema.eventTime = "created_at"))], path: "pipelines.attendees.schema.eventTime", says: /not a field of the schema/ },
  { title: "event time of the wrong type", defs: () => [broken((d) => (d.schema.eventTime = "ticket_type"))], path: "pipelines.attendees.schema.eventTime", says: /must be a timestamp/ },
  { title: "join key missing on the event side", defs: () => [broken((d) => (d.references[0].joinKey.event = "country"))], path: "pipelines.attendees.references[0].joinKey.event", says: /not a field of the event/ },
  { title: "join key missing on the reference side", defs: () => [broken((d) => (d.references[0].joinKey.reference = "iso2"))], path: "pipelines.attendees.references[0].joinKey.reference", says: /not a column of the reference data; it has: code, name, region/ },
  { title: "reference file that does not exist", defs: () => [broken((d) => (d.references[0].source.file = "nations.csv"))], path: "pipelines.attendees.references[0].source.file", says: /does not exist/ },
  { title: "duplicate pipeline names", defs: () => [attendees, broken((d) => (d.description = "copy"))], path: "pipelines.attendees.name", says: /must be unique/ },
  { title: "duplicate field names", defs: () => [broken((d) => d.schema.fields.push({ name: "email", type: "string", description: "again" }))], path: "pipelines.attendees.schema.fields", says: /declared more than once/ },
  { title: "duplicate view names", defs: () => [broken((d) => d.warehouse.materializedViews.push(structuredClone(d.warehouse.materializedViews[0])))], path: "pipelines.attendees.warehouse.materializedViews", says: /more than one table or view/ },
  { title: "pipeline name not snake_case", defs: () => [broken((d) => (d.name = "Attendees-Stream"))], path: "pipelines.Attendees-Stream.name", says: /lowercase snake_case.*"attendees_stream"/ },
  { title: "pipeline name too long", defs: () => [broken((d) => (d.name = "a".repeat(41)))], path: `pipelines.${"a".repeat(41)}.name`, says: /at most 40/ },
  { title: "field named with a Redshift reserved word", defs: () => [broken((d) => (field("company")(d).name = "user"))], path: "pipelines.attendees.schema.fields[4].name", says: /reserved word in Redshift/ },
  { title: "table named with a reserved word", defs: () => [broken((d) => (d.warehouse.table = "order"))], path: "pipelines.attendees.warehouse.table", says: /reserved word/ },
  { title: "field that shadows a partition column", defs: () => [broken((d) => (field("company")(d).name = "year"))], path: "pipelines.attendees.schema.fields[4].name", says: /partition column/ },
  { title: "SQL naming a view that does not exist", defs: () => [broken((d) => (d.transform.sql = "SELECT events.*, 1 AS scan_hour FROM events JOIN rooms ON true"), sessionCheckins)], path: "pipelines.session_checkins.transform.sql", says: /available views: events, sessions/ },
  { title: "SQL with two statements", defs: () => [broken((d) => (d.transform.sql = "SELECT * FROM events; DROP TABLE x"), sessionCheckins)], path: "pipelines.session_checkins.transform.sql", says: /single SELECT/ },
  { title: "warehouse sort key not in the schema", defs: () => [broken((d) => (d.warehouse.sortKey = ["created_at"]))], path: "pipelines.attendees.warehouse.sortKey[0]", says: /not a column of the warehouse table/ },
  { title: "sort key on a column the warehouse drops", defs: () => [broken((d) => (d.warehouse.sortKey = ["scanner_ip"]), sessionCheckins)], path: "pipelines.session_checkins.warehouse.sortKey[0]", says: /dropped from the warehouse/ },
  { title: "KEY distribution without a key", defs: () => [broken((d) => delete d.warehouse.distKey)], path: "pipelines.attendees.warehouse.distKey", says: /required when distStyle is "key"/ },
  { title: "view grouping by an unknown column", defs: () => [broken((d) => (d.warehouse.materializedViews[0].groupBy = ["continent"]))], path: "pipelines.attendees.warehouse.materializedViews[0].groupBy[0]", says: /not a column/ },
  { title: "sum over a text column", defs: () => [broken((d) => d.warehouse.materializedViews[0].measures.push({ name: "x", aggregate: "sum", column: "company", description: "x" }))], path: "pipelines.attendees.warehouse.materializedViews[0].measures[1].aggregate", says: /numeric column/ },
  { title: "BI geography on a column of another source", defs: () => [broken((d) => (d.bi.geographic = [{ column: "company", role: "CITY" }]))], path: "pipelines.attendees.bi.geographic[0].column", says: /not a column of the data set's source "attendees_by_country"/ },
  { title: "BI without a warehouse table", defs: () => [broken((d) => delete d.warehouse)], path: "pipelines.attendees.bi.publish", says: /needs a warehouse table/ },
  { title: "override for an unknown environment", defs: () => [broken((d) => (d.environments = { qa: { shards: 2 } }))], path: "pipelines.attendees.environments.qa", says: /choose one of: dev, stage, prod/ },
  { title: "override out of range", defs: () => [broken((d) => (d.environments = { prod: { shards: 0 } }))], path: "pipelines.attendees.environments.prod.shards", says: />= 1/ },
  { title: "reference column colliding with an event field", defs: () => [broken((d) => (d.references[0].columns[0].as = "company"))], path: "pipelines.attendees.references[0].columns[0].as", says: /collides with the event field/ },
  { title: "misspelt key", defs: () => [broken((d) => (d.warehuose = {}))], path: "pipelines.attendees", says: /unknown key.*"warehuose"/ },
];

describe("invalid pipeline definitions", () => {
  it("the sample pipelines are valid", () => {
    expect(validatePipelines([attendees, sessionCheckins], input).map((p) => p.name)).toEqual(["attendees", "session_checkins"]);
  });

  it.each(cases)("rejects $title, naming the pipeline and $path", ({ defs, path, says }) => {
    const error = rejection(defs());
    const problem = error.problems.find((p) => p.path === path);
    expect(error.problems.map((p) => p.path)).toContain(path);
    expect(problem!.message).toMatch(says);
  });

  it("reports every problem of every pipeline at once, with the values given", () => {
    const a = broken((d) => {
      d.schema.eventId = "nope";
      d.warehouse.sortKey = ["also_nope"];
    });
    const b = broken((d) => (d.transform.sql = "SELECT * FROM ghosts"), sessionCheckins);
    const error = rejection([a, b]);
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
    expect(error.message).toContain('"nope"');
    expect(error.message).toContain('"ghosts"');
    expect(error.message).toMatch(/pipelines\.attendees\.schema\.eventId/);
    expect(error.message).toMatch(/pipelines\.session_checkins\.transform\.sql/);
  });
});

describe("viewsNamedIn", () => {
  it("finds relations after FROM and JOIN, ignoring string literals and comments", () => {
    expect(viewsNamedIn("SELECT * FROM events e LEFT JOIN countries c ON e.x = c.y -- from nowhere\nWHERE a = 'from fake'")).toEqual(["events", "countries"]);
  });
});
