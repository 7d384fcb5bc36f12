import { Testing, TerraformStack } from "cdktf";
import { STATEMENT_ARGUMENTS_READ_BACK, Warehouse, WarehouseProps, pipelineMigration } from "../../modules/warehouse";
import { loadPipelines } from "../../pipelines";
import type { TerraformJson } from "../../policies";
import { resourcesOf, synthAll } from "../helpers/synth";
import { TEST_WAREHOUSE_PROPS } from "./props";
import { STATEMENT_ARGUMENTS, plan, readExpired, stateAfterCreate } from "./data-api-replay";

/**
 * Proof, without AWS, that the schema migrations survive the Data API forgetting them: the
 * provider's read of an expired statement (data-api-replay.ts, from its source) replayed on every
 * synthesized statement. A plan after expiry changes nothing; a changed migration is one replace;
 * a new namespace runs everything again. The SQL being safe to run twice is proven on PostgreSQL
 * (migrations-postgres.test.ts).
 */

const statements = (json: TerraformJson) => resourcesOf(json, "aws_redshiftdata_statement");
const pipelines = loadPipelines(["dev", "stage", "prod"]);

describe("after the Data API has forgotten a statement", () => {
  it.each(synthAll().map((s) => [s.environment.name, s] as const))("%s: the next plan changes no statement", (_name, { platform }) => {
    expect(statements(platform).length).toBeGreaterThan(0);
    for (const [id, config] of statements(platform)) {
      const created = stateAfterCreate(config);
      expect([id, plan(config, created)]).toEqual([id, "no-op"]);
      expect([id, plan(config, readExpired(created))]).toEqual([id, "no-op"]);
    }
  });

  it("ignores exactly what the provider reads back, and never the name that carries the version", () => {
    for (const { platform } of synthAll()) {
      for (const [, config] of statements(platform)) {
        expect(config.lifecycle.ignore_changes).toEqual([...STATEMENT_ARGUMENTS_READ_BACK]);
        expect(config.lifecycle.ignore_changes).not.toContain("statement_name");
        expect(config.statement_name).toMatch(/^[a-z0-9_.-]+@[0-9a-f]{64}@\$\{aws_redshiftserverless_namespace\.[^}]+\.namespace_id\}$/);
      }
    }
  });

  it("would replace every statement on every deploy without that (the behaviour of issue #37301)", () => {
    const [[, config]] = statements(synthAll()[0].platform);
    const plain = { ...config, lifecycle: undefined };
    expect(plan(plain, readExpired(stateAfterCreate(plain)))).toBe("replace");
    // Ignoring everything would hide the expiry too, but also every real change.
    const blind = { ...config, lifecycle: { ignore_changes: "all" } };
    expect(plan({ ...blind, statement_name: "changed@0@ns", sql: "CALL changed()" }, readExpired(stateAfterCreate(blind)))).toBe("no-op");
  });

  it("was removed from the state (ResourceNotFound): the migration runs again, which the procedure makes harmless", () => {
    const [[, config]] = statements(synthAll()[0].platform);
    expect(plan(config, undefined)).toBe("create");
  });
});

describe("a change of the schema", () => {
  const base: WarehouseProps = {
    ...TEST_WAREHOUSE_PROPS,
    pipelines: pipelines.filter((p) => p.contract.warehouse).map((p) => ({ name: p.name, contract: p.contract, biSource: "table" })),
  };
  const synth = (props: WarehouseProps): Record<string, Record<string, any>> => {
    const stack = new TerraformStack(Testing.app(), "warehouse");
    new Warehouse(stack, "w", props);
    return Object.fromEntries(statements(JSON.parse(Testing.synth(stack)) as TerraformJson));
  };
  const before = synth(base);

  it("replaces exactly the changed pipeline's migration, once; every other statement stays", () => {
    const [first, ...others] = base.pipelines;
    const described = { ...first.contract, description: `${first.contract.description} (revised)` };
    const after = synth({ ...base, pipelines: [{ ...first, contract: described }, ...others] });
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const planned = Object.fromEntries(Object.entries(after).map(([id, config]) => [id, plan(config, readExpired(stateAfterCreate(before[id])))]));
    const replaced = Object.entries(planned).filter(([, action]) => action === "replace").map(([id]) => id);
    expect(replaced).toEqual([Object.keys(after).find((id) => id.includes(`migration-${first.name}_`))]);
    expect(after[replaced[0]].sql).toBe(pipelineMigration("data_platform", described, { writer: "dp_etl_writer", reader: "dp_bi_reader" }, "table").sql);
  });

  it("runs everything again in a new namespace (a new, empty database)", () => {
    const resolve = (config: Record<string, any>, namespaceId: string) => ({ ...config, statement_name: String(config.statement_name).replace(/\$\{aws_redshiftserverless_namespace\.[^}]+\}/, namespaceId) });
    for (const config of Object.values(before)) {
      expect(plan(resolve(config, "ns-2"), readExpired(stateAfterCreate(resolve(config, "ns-1"))))).toBe("replace");
      expect(plan(resolve(config, "ns-1"), readExpired(stateAfterCreate(resolve(config, "ns-1"))))).toBe("no-op");
    }
  });

  it("replays every argument of the provider's schema", () => {
    expect([...STATEMENT_ARGUMENTS].sort()).toEqual([...STATEMENT_ARGUMENTS_READ_BACK, "statement_name", "with_event"].sort());
  });
});
