import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { loadPipelines, PIPELINE_DEFINITIONS } from "../../pipelines";
import { compilePipeline } from "../../pipelines/compile";
import { CONTRACT_VERSION, compileContract, contractJson } from "../../pipelines/contract";
import { attendees } from "../../pipelines/attendees";
import { GOLDEN_PIPELINES, GoldenWarehouse, goldenPath, goldenWarehouseJson, goldenWarehousePath } from "../../tools/golden-contracts";
import { resourcesOf, synthAll } from "../helpers/synth";

const schema = JSON.parse(readFileSync(join(__dirname, "..", "..", "pipelines", "contract.schema.json"), "utf8"));
const validateContract = new Ajv({ allErrors: true, strict: true }).compile(schema);
const pipelines = loadPipelines(ENVIRONMENT_CONFIGS.map((e) => e.name));

describe("the contract", () => {
  it.each(pipelines.map((p) => [p.name, p] as const))("of %s conforms to its JSON Schema", (_name, pipeline) => {
    const ok = validateContract(JSON.parse(pipeline.contractJson));
    expect(validateContract.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the JSON Schema rejects a contract of another version and unknown keys", () => {
    const doc = JSON.parse(pipelines[0].contractJson);
    expect(validateContract({ ...doc, contract_version: CONTRACT_VERSION + 1 })).toBe(false);
    expect(validateContract({ ...doc, surprise: true })).toBe(false);
  });

  it.each(GOLDEN_PIPELINES.map((name) => [name]))("of %s equals the golden file the Python tests load (regenerate with `npm run golden`)", (name) => {
    const pipeline = pipelines.find((p) => p.name === name)!;
    expect(pipeline.contractJson).toBe(readFileSync(goldenPath(name), "utf8"));
  });

  it.each(GOLDEN_PIPELINES.map((name) => [name]))("warehouse statements of %s equal the golden file the Spark suite runs (regenerate with `npm run golden`)", (name) => {
    const pipeline = pipelines.find((p) => p.name === name)!;
    expect(goldenWarehouseJson(pipeline)).toBe(readFileSync(goldenWarehousePath(name), "utf8"));
  });

  it.each(GOLDEN_PIPELINES.map((name) => [name]))("golden warehouse statements of %s are Data API statements a synthesized stack runs", (name) => {
    const golden = JSON.parse(readFileSync(goldenWarehousePath(name), "utf8")) as GoldenWarehouse;
    const deployed = synthAll().map(({ platform }) => resourcesOf(platform, "aws_redshiftdata_statement").map(([, statement]) => String(statement.sql)));
    const stack = deployed.find((sqls) => golden.statements.every((sql) => sqls.includes(sql)));
    expect(stack).toBeDefined();
    const migration = golden.statements[golden.statements.length - 1];
    expect(migration).toContain("CREATE MATERIALIZED VIEW");
    expect(migration).toContain("dp_run_as_etl_writer");
  });

  it("changes when a field is added to attendees, so a stale golden file fails the test above", () => {
    const extended = { ...attendees, schema: { ...attendees.schema, fields: [...attendees.schema.fields, { name: "badge_printed", type: "boolean" as const, description: "Badge printed" }] } };
    const changed = compilePipeline(extended);
    expect(changed.contractJson).not.toBe(readFileSync(goldenPath("attendees"), "utf8"));
    expect(changed.contract.lake.columns.map((c) => c.name)).toContain("badge_printed");
    expect(changed.contractSha256).not.toBe(pipelines.find((p) => p.name === "attendees")!.contractSha256);
  });

  it("is deterministic and holds nothing environment-specific", () => {
    const again = compileContract(attendees);
    expect(contractJson(again)).toBe(pipelines.find((p) => p.name === "attendees")!.contractJson);
    for (const env of ENVIRONMENT_CONFIGS) {
      expect(pipelines[0].contractJson).not.toContain(env.account.id);
      expect(pipelines[0].contractJson).not.toMatch(new RegExp(`dp-${env.name}-`));
    }
  });

  it("keeps every sensitive attendees column out of the warehouse in the clear", () => {
    const contract = pipelines.find((p) => p.name === "attendees")!.contract;
    const warehouse = new Map(contract.warehouse!.columns.map((c) => [c.name, c]));
    for (const rule of contract.sensitive) {
      if (rule.warehouse === "drop") expect(warehouse.has(rule.field)).toBe(false);
      else expect(warehouse.get(rule.field)!.description).toMatch(/SHA-256|masked|redacted/);
    }
    expect(contract.sensitive.find((s) => s.field === "email")).toMatchObject({ lake: "keep", warehouse: "hash" });
  });

  it("drops from each sink exactly the columns its rule drops", () => {
    const checkins = pipelines.find((p) => p.name === "session_checkins")!.contract;
    expect(checkins.lake.columns.map((c) => c.name)).toContain("scanner_ip");
    expect(checkins.warehouse!.columns.map((c) => c.name)).not.toContain("scanner_ip");
  });

  it("adds reference columns under their output names and the transform's columns after them", () => {
    const checkins = pipelines.find((p) => p.name === "session_checkins")!.contract;
    const names = checkins.lake.columns.map((c) => c.name);
    expect(names.indexOf("session_title")).toBeGreaterThan(names.indexOf("scanned_at"));
    expect(names[names.length - 1]).toBe("scan_hour");
  });

  it("points bundled references to the same key in every environment", () => {
    const ref = pipelines.find((p) => p.name === "attendees")!.contract.references[0];
    expect(ref.location).toEqual({ kind: "bundled", key: "attendees/countries/countries.csv" });
  });

  it("gives views typed columns: group-by columns keep their type, counts are long", () => {
    const view = pipelines.find((p) => p.name === "attendees")!.contract.warehouse!.materialized_views[0];
    expect(view.columns.map((c) => [c.name, c.type])).toEqual([
      ["country_code", "string"],
      ["country_name", "string"],
      ["country_region", "string"],
      ["ticket_type", "string"],
      ["attendee_count", "long"],
    ]);
  });

  it("lists every pipeline definition once", () => {
    expect(pipelines.map((p) => p.name)).toEqual(PIPELINE_DEFINITIONS.map((d) => d.name));
    expect(pipelines.length).toBeGreaterThanOrEqual(2);
  });
});

describe("the contract's detection section", () => {
  const detection = (def: typeof attendees) => compileContract(def).detection;

  it("redacts every entity in both sinks by default", () => {
    const { entities, exempt, expected } = detection(attendees);
    expect(entities.map((e) => e.entity)).toEqual(["email", "aws_access_key", "iban", "ipv6", "ipv4", "credit_card", "us_ssn", "phone"]);
    expect(new Set(entities.map((e) => `${e.lake}/${e.warehouse}`))).toEqual(new Set(["redact/redact"]));
    expect([exempt, expected]).toEqual([[], []]);
  });

  it("resolves per-entity actions over the pipeline's defaults, the lake following the warehouse unless told", () => {
    const def = { ...attendees, detection: { warehouse: "hash", entities: { phone: { lake: "keep" }, iban: { warehouse: "redact" } } } } as const;
    const byEntity = Object.fromEntries(detection(def as never).entities.map((e) => [e.entity, [e.lake, e.warehouse]]));
    expect(byEntity).toMatchObject({ email: ["hash", "hash"], phone: ["keep", "hash"], iban: ["redact", "redact"] });
    const lakeKept = { ...attendees, detection: { lake: "keep" } } as const;
    expect(new Set(detection(lakeKept as never).entities.map((e) => `${e.lake}/${e.warehouse}`))).toEqual(new Set(["keep/redact"]));
  });

  it("lists exempt and expected columns in column order, entities in detection order", () => {
    const def = { ...attendees, detection: { exempt: { job_title: { reason: "titles quote product codes" } }, expected: { country_name: ["phone", "email"], company: ["email"] } } } as const;
    const { exempt, expected } = detection(def as never);
    expect(exempt).toEqual([{ column: "job_title", reason: "titles quote product codes" }]);
    expect(expected).toEqual([{ column: "company", entities: ["email"] }, { column: "country_name", entities: ["email", "phone"] }]);
  });
});
