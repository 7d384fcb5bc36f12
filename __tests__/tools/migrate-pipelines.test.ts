/**
 * Moving a deployed environment into its core and pipeline stacks (tools/migrate-pipelines), on
 * the state of prod as the one-stack layout deployed it: built from that layout's synthesized JSON
 * (__tests__/fixtures/migration) with each resource's attributes as the provider keeps them in
 * state. Then the moves are applied to the states the way Terraform would (`state rm`, `import`),
 * and the result is checked: every resource in exactly one state with its configuration, none
 * destroyed.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PIPELINE_DEFINITIONS } from "../../pipelines";
import type { TerraformJson } from "../../policies";
import { migrationPlanProblems } from "../../tools/migrate-pipelines/check";
import { IMPORTS_FILE } from "../../tools/migrate-pipelines/cli";
import { type Migration, importBlocks, migrationPlan, stateRemovalScript } from "../../tools/migrate-pipelines/plan";
import { parsePlan } from "../../tools/plan-summary/parse";
import { readStackFile, synthesizedStacks } from "../../tools/stacks/synthesized";
import { runNode } from "../helpers/node-process";
import { synthEnvironment, synthesizeConfiguration } from "../helpers/synth";
import { resolve, stackModel } from "../identity/terraform-model";

const MONOLITH = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "migration", "monolith-prod.cdk.tf.json"), "utf8")) as TerraformJson;
const prod = synthEnvironment("prod");
const ACCOUNT = prod.environment.account.id;

/**
 * The `id` attribute the provider stores for each type (its resource code's SetId), which is not
 * always what `terraform import` takes: a stream's id is its ARN, an object's its key.
 */
const STATE_ID: Record<string, (a: Record<string, any>, generated: string) => string> = {
  aws_cloudwatch_event_target: (a) => `${a.rule}-${a.target_id}`,
  aws_iam_role_policy: (a) => `${a.role}:${a.name}`,
  aws_iam_policy: (a) => a.arn,
  aws_kinesis_stream: (a) => a.arn,
  aws_sfn_state_machine: (a) => a.arn,
  aws_scheduler_schedule: (a) => `${a.group_name}/${a.name}`,
  aws_s3_object: (a) => a.key,
  aws_cloudwatch_metric_alarm: (a) => a.alarm_name,
  aws_quicksight_data_set: (a) => `${a.aws_account_id},${a.data_set_id}`,
  aws_quicksight_analysis: (a) => `${a.aws_account_id},${a.analysis_id}`,
  aws_quicksight_dashboard: (a) => `${a.aws_account_id},${a.dashboard_id}`,
  aws_sqs_queue: (a) => a.url,
  aws_sqs_queue_policy: (a) => a.queue_url,
  aws_athena_named_query: (_a, generated) => generated,
  aws_redshiftdata_statement: (_a, generated) => generated,
};

/** The old layout's state, as Terraform would have written it after applying `json`. */
function stateOf(json: TerraformJson): { version: 4; resources: unknown[] } {
  const model = stackModel(json);
  const resources = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]) => {
      const attributes: Record<string, any> = JSON.parse(resolve(model, JSON.stringify(config)));
      delete attributes["//"];
      if (["aws_iam_role", "aws_iam_policy", "aws_kinesis_stream", "aws_sfn_state_machine", "aws_sqs_queue"].includes(type)) attributes.arn = resolve(model, `\${${type}.${name}.arn}`);
      if (type === "aws_sqs_queue") attributes.url = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/${attributes.name}`;
      if (type === "aws_scheduler_schedule") attributes.group_name ??= "default";
      if (type.startsWith("aws_quicksight_")) attributes.aws_account_id ??= ACCOUNT;
      const generated = `${name.slice(-8).toLowerCase()}-0000-4000-8000-000000000000`;
      attributes.id = STATE_ID[type]?.(attributes, generated) ?? attributes.name ?? attributes.bucket ?? generated;
      return { mode: "managed", type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes }] };
    }),
  );
  return { version: 4, resources };
}

/**
 * What `terraform import` takes per type, typed out again from the provider's documentation (its
 * "Import" sections), independently of the tool's rules.
 */
const DOCUMENTED_IMPORT_ID: Record<string, (a: Record<string, any>) => string> = {
  aws_athena_named_query: (a) => a.id,
  aws_cloudwatch_event_rule: (a) => a.name,
  aws_cloudwatch_event_target: (a) => `${a.rule}/${a.target_id}`,
  aws_cloudwatch_log_group: (a) => a.name,
  aws_cloudwatch_metric_alarm: (a) => a.alarm_name,
  aws_glue_crawler: (a) => a.name,
  aws_glue_job: (a) => a.name,
  aws_glue_trigger: (a) => a.name,
  aws_iam_policy: (a) => a.arn,
  aws_iam_role: (a) => a.name,
  aws_iam_role_policy: (a) => `${a.role}:${a.name}`,
  aws_kinesis_stream: (a) => a.name,
  aws_quicksight_analysis: (a) => `${a.aws_account_id},${a.analysis_id}`,
  aws_quicksight_dashboard: (a) => `${a.aws_account_id},${a.dashboard_id}`,
  aws_quicksight_data_set: (a) => `${a.aws_account_id},${a.data_set_id}`,
  aws_s3_object: (a) => `${a.bucket}/${a.key}`,
  aws_scheduler_schedule: (a) => `${a.group_name}/${a.name}`,
  aws_sfn_state_machine: (a) => a.arn,
};

const state = stateOf(MONOLITH);
const instances = new Map((state.resources as any[]).map((r) => [`${r.type}.${r.name}`, r.instances[0].attributes as Record<string, any>]));
const input = { core: { stack: prod.coreStackName, json: prod.core }, pipelines: prod.pipelineStacks.map((p) => ({ stack: p.stackName, json: p.json })) };
const migration = migrationPlan({ ...input, state });
const configuredName = (json: TerraformJson, address: string) => {
  const [type, name] = address.split(".");
  return (json.resource?.[type]?.[name] as { name?: string } | undefined)?.name;
};
const addresses = (json: TerraformJson) => Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));

describe("moving prod's pipelines out of its one state", () => {
  it("has no problem: every resource of the old state is matched by address and identity", () => {
    expect(migration.problems).toEqual([]);
    expect(migration.moves.length).toBeGreaterThan(40);
  });

  it("accounts for every resource of the old state exactly once: kept, imported, re-created or retired", () => {
    const accounted = [...migration.stays, ...migration.moves.map((m) => m.address), ...migration.recreated.map((r) => r.address), ...migration.retired.map((r) => r.address)];
    expect(accounted.sort()).toEqual([...instances.keys()].sort());
    expect(new Set(accounted).size).toBe(accounted.length);
  });

  it("imports each with the id the provider's documentation gives, from the object's own attributes", () => {
    for (const move of migration.moves) {
      const expected = DOCUMENTED_IMPORT_ID[move.type];
      expect([move.address, typeof expected]).toEqual([move.address, "function"]);
      expect([move.address, move.importId]).toEqual([move.address, expected(instances.get(move.address)!)]);
    }
    // The ids that are not the `id` attribute are built, not copied.
    const stream = migration.moves.find((m) => m.type === "aws_kinesis_stream")!;
    expect(stream.importId).toBe("dp-prod-attendees");
    expect(instances.get(stream.address)!.id).toMatch(/^arn:aws:kinesis:/);
  });

  it("leaves the core only what its new configuration has, and gives each pipeline stack everything it configures: nothing destroyed, nothing created twice", () => {
    const removed = new Set(migration.stateRemovals);
    const coreState = [...instances.keys()].filter((address) => !removed.has(address));
    const coreConfig = new Set(addresses(prod.core));
    // What stays in the core's state without configuration would be destroyed by its next apply.
    expect(coreState.filter((address) => !coreConfig.has(address))).toEqual([]);
    for (const pipeline of prod.pipelineStacks) {
      const imported = migration.moves.filter((m) => m.stack === pipeline.stackName).map((m) => m.address);
      const recreated = migration.recreated.filter((r) => r.stack === pipeline.stackName).map((r) => r.address);
      const created = migration.created.filter((c) => c.stack === pipeline.stackName).map((c) => c.address);
      expect([pipeline.stackName, [...imported, ...recreated, ...created].sort()]).toEqual([pipeline.stackName, addresses(pipeline.json).sort()]);
    }
    // New are only the pipelines' log groups, which both jobs of a pipeline now share (the jobs'
    // own groups are retired below, with their logs).
    expect(migration.created.map((c) => configuredName(prod.pipelineStacks.find((p) => p.stackName === c.stack)!.json, c.address)).sort()).toEqual(
      ["attendees", "session_checkins"].flatMap((p) => [`/aws-glue/dp-prod/jobs/${p}/error`, `/aws-glue/dp-prod/jobs/${p}/output`]).sort(),
    );
  });

  it("re-creates only the Data API statements (one per pipeline with a warehouse table) and objects whose content-named key changed since the deploy, saying why", () => {
    const statements = migration.recreated.filter((r) => r.type === "aws_redshiftdata_statement");
    expect(statements).toHaveLength(2);
    expect(statements[0].why).toMatch(/the migrations table skips/);
    // The fixture was deployed from an older contract format: each pipeline's contract has a new key.
    for (const object of migration.recreated.filter((r) => r.type !== "aws_redshiftdata_statement")) {
      expect([object.address, object.type]).toEqual([object.address, "aws_s3_object"]);
      const oldKey = String(instances.get(object.address)!.key);
      expect(object.why).toContain(`aws s3 rm s3://${String(instances.get(object.address)!.bucket)}/${oldKey}`);
      expect(oldKey).toMatch(/^contracts\/[a-z_]+\/[0-9a-f]{64}\.json$/);
    }
  });

  it("re-creates a content-named object only when just its content hash changed; another key is a problem", () => {
    const pipeline = prod.pipelineStacks[0];
    const [name, object] = Object.entries(pipeline.json.resource!.aws_s3_object).find(([, o]) => String((o as { key: string }).key).startsWith("contracts/"))!;
    const address = `aws_s3_object.${name}`;
    const key = String((object as { key: string }).key);
    const stateWith = (oldKey: string) => ({ version: 4, resources: [{ mode: "managed", type: "aws_s3_object", name, instances: [{ attributes: { ...(object as object), key: oldKey, id: oldKey } }] }] });
    const sameName = migrationPlan({ ...input, state: stateWith(key.replace(/[0-9a-f]{64}/, "0".repeat(64))) });
    expect(sameName.recreated.map((r) => r.address)).toEqual([address]);
    const otherName = migrationPlan({ ...input, state: stateWith(key.replace("contracts/", "elsewhere/")) });
    expect(otherName.problems.join("\n")).toMatch(/not the same object; the address changed meaning/);
  });

  it("retires exactly each pipeline's own trigger roles, dead-letter queues, their alarms, the workflow log group (now the core's, shared) and the jobs' own log groups (now the pipeline's, shared), with a command to delete each", () => {
    const names = migration.retired.map((r) => {
      const a = instances.get(r.address)!;
      return `${r.type} ${a.alarm_name ?? (r.type === "aws_iam_role_policy" ? a.role : a.name) ?? a.queue_url}`;
    });
    const expected = [
      ["attendees", "attendees"],
      ["session-checkins", "session_checkins"],
    ].flatMap(([p, pipeline]) => [
      ...["catalog-events", "catalog-sched", "catalog-sfn"].flatMap((role) => [`aws_iam_role dp-prod-${p}-${role}`, `aws_iam_role_policy dp-prod-${p}-${role}`]),
      `aws_sqs_queue dp-prod-${p}-catalog-events-dlq`,
      `aws_sqs_queue dp-prod-${p}-catch-up-dlq`,
      `aws_sqs_queue_policy https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/dp-prod-${p}-catalog-events-dlq`,
      `aws_cloudwatch_metric_alarm dp-prod-${p}-catalog-events-dlq-messages`,
      `aws_cloudwatch_metric_alarm dp-prod-${p}-catch-up-dlq-messages`,
      `aws_cloudwatch_log_group /aws/vendedlogs/states/dp-prod/${pipeline}-catalog`,
      ...["batch", "streaming"].flatMap((job) => ["error", "output"].map((stream) => `aws_cloudwatch_log_group /aws-glue/dp-prod/jobs/${pipeline}-${job}/${stream}`)),
    ]);
    expect(names.sort()).toEqual(expected.sort());
    expect(migration.retired.filter((r) => r.stateful).map((r) => r.type).sort()).toEqual([...Array(10).fill("aws_cloudwatch_log_group"), "aws_sqs_queue", "aws_sqs_queue", "aws_sqs_queue", "aws_sqs_queue"]);
    expect(migration.retired.find((r) => r.type === "aws_iam_role")!.command).toMatch(/^aws iam delete-role --role-name dp-prod-/);
  });

  it("writes import blocks per pipeline stack and a state removal script for the core", () => {
    const attendees = importBlocks(migration, "data-platform-prod-attendees");
    expect(attendees.import.length).toBe(migration.moves.filter((m) => m.stack === "data-platform-prod-attendees").length);
    expect(attendees.import).toContainEqual({ to: expect.stringMatching(/^aws_kinesis_stream\.streaming_attendees_stream_/), id: "dp-prod-attendees" });
    const script = stateRemovalScript(migration);
    expect(script.split("\n").filter((line) => line.startsWith("terraform state rm"))).toHaveLength(migration.stateRemovals.length);
    expect(script).toContain("terraform state rm -lock-timeout=5m 'aws_kinesis_stream.streaming_attendees_stream_");
  });
});

describe("the migration refuses what it cannot do safely", () => {
  const broken = (change: (resources: any[]) => void) => {
    const copy = structuredClone(state);
    change(copy.resources as any[]);
    return migrationPlan({ ...input, state: copy });
  };

  it("an address that now means another object (a renamed resource) is reported, not imported", () => {
    const result = broken((resources) => {
      resources.find((r) => r.type === "aws_glue_job").instances[0].attributes.name = "dp-prod-renamed-streaming";
    });
    expect(result.problems.join("\n")).toMatch(/aws_glue_job\.\S+: name is "dp-prod-renamed-streaming" in the state but "dp-prod-\S+" in data-platform-prod-\S+: not the same object/);
    expect(result.moves.some((m) => m.importId === "dp-prod-renamed-streaming")).toBe(false);
  });

  it("the code library at another content hash is the same artifact; at another path it is another object", () => {
    const library = (key: (old: string) => string) =>
      broken((resources) => {
        const attributes = resources.find((r) => r.type === "aws_s3_object" && String(r.name).startsWith("streaming_code_library")).instances[0].attributes;
        attributes.key = key(attributes.key);
      });
    expect(library((old) => old.replace(/[0-9a-f]{64}/, "0".repeat(64))).problems).toEqual([]);
    expect(library((old) => old.replace("libraries/", "elsewhere/")).problems.join("\n")).toMatch(/streaming_code_library\S*: key is "elsewhere\/\S+" in the state but "libraries\/\S+" in data-platform-prod: not the same object/);
  });

  it("a resource of a type nothing says how to retire is reported, never dropped", () => {
    const result = broken((resources) => resources.push({ mode: "managed", type: "aws_dynamodb_table", name: "leftover", instances: [{ attributes: { id: "t", name: "t" } }] }));
    expect(result.problems).toEqual([expect.stringMatching(/aws_dynamodb_table\.leftover: the new layout has no aws_dynamodb_table at this address and no rule says how to retire it/)]);
  });

  it("an import id that cannot be built names the missing attribute", () => {
    const result = broken((resources) => {
      delete resources.find((r) => r.type === "aws_s3_object" && String(r.name).startsWith("pipeline-assets_attendees")).instances[0].attributes.key;
    });
    expect(result.problems.join("\n")).toMatch(/aws_s3_object\.\S+: (key is undefined|no import id: attribute key is undefined)/);
  });

  it("something that is not a state is refused", () => {
    expect(() => migrationPlan({ ...input, state: { version: 3 } })).toThrow(/not a Terraform state \(format version 4\)/);
  });
});

/** A stack's plan as `terraform show -json` writes it (format 1.2), with each change's actions and import. */
function planJson(changes: { address: string; actions: string[]; importing?: string }[]) {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: changes.map((c) => {
      const [type, name] = c.address.split(".");
      return { address: c.address, mode: "managed", type, name, change: { actions: c.actions, before: null, after: {}, ...(c.importing ? { importing: { id: c.importing } } : {}) } };
    }),
  };
}

describe("checking each stack's plan before it is applied", () => {
  const stack = "data-platform-prod-session-checkins";
  const mine = migration.moves.filter((m) => m.stack === stack);
  const recreated = migration.recreated.filter((r) => r.stack === stack);
  type Change = { address: string; actions: string[]; importing?: string };
  const good = (): Change[] => [...mine.map((m) => ({ address: m.address, actions: ["no-op"], importing: m.importId })), ...recreated.map((r) => ({ address: r.address, actions: ["create"] }))];
  const problems = (changes: ReturnType<typeof good>, which = stack) => migrationPlanProblems(parsePlan(planJson(changes)), migration, which);

  it("accepts a pipeline stack's plan that imports every moved resource (an update with it too) and creates only its statement", () => {
    const changes = good();
    changes[0] = { ...changes[0], actions: ["update"] };
    expect(problems(changes)).toEqual([]);
  });

  it("refuses a moved resource planned as a create, an import of another id, or a replace", () => {
    const changes = good();
    changes[0] = { address: changes[0].address, actions: ["create"] };
    changes[1] = { ...changes[1], importing: "someone-elses-job" };
    changes[2] = { ...changes[2], actions: ["delete", "create"] };
    const found = problems(changes).join("\n");
    expect(found).toMatch(/would be created, but it exists: it must be imported/);
    expect(found).toMatch(/imports "someone-elses-job", not "/);
    expect(found).toMatch(/would be replaced: the migration destroys nothing/);
  });

  it("refuses a core plan that still holds a moved resource, or deletes anything", () => {
    expect(problems([{ address: "aws_ssm_parameter.core-interface", actions: ["create"] }], migration.core)).toEqual([]);
    const found = problems([{ address: migration.moves[0].address, actions: ["delete"] }], migration.core).join("\n");
    expect(found).toMatch(/would be destroyed/);
    expect(found).toMatch(/is still in the core's plan: run the state removals first/);
  });
});

describe("npm run migrate-pipelines", () => {
  jest.setTimeout(60_000);

  it("prepare writes each pipeline stack's imports into its folder, the core's removals and the report; check passes the right plan and fails a wrong one", async () => {
    const synth = synthesizeConfiguration(PIPELINE_DEFINITIONS);
    const dir = mkdtempSync(join(tmpdir(), "dp-migration-"));
    writeFileSync(join(dir, "prod.tfstate"), JSON.stringify(state));
    const cli = (...args: string[]) => runNode(["-r", "./tools/register.js", "tools/migrate-pipelines/cli.ts", ...args]);
    const prepared = await cli("prepare", "--env", "prod", "--state", join(dir, "prod.tfstate"), "--synth-dir", synth, "--out", join(dir, "out"));
    expect([prepared.code, prepared.stderr]).toEqual([0, ""]);
    const written = JSON.parse(readFileSync(join(dir, "out", "migration.json"), "utf8")) as Migration;
    expect(written.moves).toEqual(migration.moves);
    for (const stack of synthesizedStacks(synth, ["prod"]).filter((s) => s.kind === "pipeline")) {
      expect(JSON.parse(readFileSync(join(stack.dir, IMPORTS_FILE), "utf8"))).toEqual(importBlocks(migration, stack.name));
      expect(readStackFile(stack)).toBeDefined();
    }
    expect(existsSync(join(dir, "out", "core-state-rm.sh"))).toBe(true);
    expect(readFileSync(join(dir, "out", "report.md"), "utf8")).toMatch(/## Retired: forgotten by the core, still in AWS/);

    const stack = "data-platform-prod-attendees";
    const moves = written.moves.filter((m) => m.stack === stack);
    writeFileSync(join(dir, "good.json"), JSON.stringify(planJson([...moves.map((m) => ({ address: m.address, actions: ["no-op"], importing: m.importId })), ...written.recreated.filter((r) => r.stack === stack).map((r) => ({ address: r.address, actions: ["create"] }))])));
    writeFileSync(join(dir, "bad.json"), JSON.stringify(planJson(moves.map((m) => ({ address: m.address, actions: ["create"] })))));
    const check = (plan: string) => cli("check", "--env", "prod", "--migration", join(dir, "out", "migration.json"), "--stack", stack, "--plan", join(dir, plan));
    expect((await check("good.json")).code).toBe(0);
    const bad = await check("bad.json");
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringMatching(/is planned as create, not imported|would be created, but it exists/)]);
  });

  it("prepare refuses a state with problems, writing only the report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-migration-"));
    const copy = structuredClone(state);
    (copy.resources as any[]).push({ mode: "managed", type: "aws_dynamodb_table", name: "leftover", instances: [{ attributes: { id: "t", name: "t" } }] });
    writeFileSync(join(dir, "prod.tfstate"), JSON.stringify(copy));
    const run = await runNode(["-r", "./tools/register.js", "tools/migrate-pipelines/cli.ts", "prepare", "--env", "prod", "--state", join(dir, "prod.tfstate"), "--synth-dir", prod.platformDir.replace(/\/stacks\/[^/]+$/, ""), "--out", join(dir, "out")]);
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/1 problem\(s\); nothing to run until they are solved/)]);
    expect(existsSync(join(dir, "out", "report.md"))).toBe(true);
    expect(existsSync(join(dir, "out", "core-state-rm.sh"))).toBe(false);
  });
});
