import { Testing, TerraformStack } from "cdktf";
import {
  Warehouse,
  WarehouseProps,
  createMaterializedViewSql,
  createTableSql,
  foundationMigration,
  pipelineMigration,
  quoteLiteral,
  redshiftRolePolicy,
  validateWarehouseProps,
  viewMigration,
} from "../../modules/warehouse";
import { platformKeyPolicy } from "../../modules/lake";
import { loadPipelines, resolvePipelineSettings } from "../../pipelines";
import { secretFindings } from "../../policies/rules/everything";
import { warehousePipeline } from "../../stacks/platform-stack";
import { actionsIn, roleResourceName, rolePolicies, simulate, unknownActions } from "../helpers/iam";
import { resourcesOf, synthAll, synthEnvironment } from "../helpers/synth";
import { TEST_WAREHOUSE_PROPS } from "./props";

const statementsOf = (json: Parameters<typeof resourcesOf>[0]) => resourcesOf(json, "aws_redshiftdata_statement").map(([, s]) => s);
const USERS = { writer: "dp_etl_writer", reader: "dp_bi_reader" };
/** Schema, migrations table, the migration procedure. */
const BOOTSTRAP_STATEMENTS = 3;

describe("warehouse in every environment", () => {
  it.each(synthAll().map((s) => [s.environment.name, s] as const))("%s has a namespace, a limited workgroup, a Glue connection and its tables", (_name, { environment, platform }) => {
    expect(resourcesOf(platform, "aws_redshiftserverless_namespace")).toHaveLength(1);
    const [[workgroupId, workgroup]] = resourcesOf(platform, "aws_redshiftserverless_workgroup");
    expect(workgroup.base_capacity).toBe(environment.warehouse.baseCapacityRpu);
    expect(workgroup.max_capacity).toBe(environment.warehouse.maxCapacityRpu);

    const limits = resourcesOf(platform, "aws_redshiftserverless_usage_limit").map(([, l]) => l);
    expect(limits.map((l) => [l.period, l.amount, l.breach_action, l.usage_type])).toEqual(
      environment.warehouse.usageLimits.map((l) => [l.period, l.rpuHours, l.breachAction, "serverless-compute"]),
    );
    expect(limits.every((l) => l.resource_arn === `\${aws_redshiftserverless_workgroup.${workgroupId}.arn}`)).toBe(true);

    const connections = resourcesOf(platform, "aws_glue_connection").map(([, c]) => c);
    expect(connections).toHaveLength(1);
    const [[writerSecretId]] = resourcesOf(platform, "aws_secretsmanager_secret").filter(([, secret]) => /^dp-[a-z]+-warehouse-etl-writer$/.test(secret.name));
    expect(connections[0].connection_properties.SECRET_ID).toBe(`\${aws_secretsmanager_secret.${writerSecretId}.name}`);
    expect(connections[0].connection_properties.PASSWORD).toBeUndefined();
    expect(connections[0].connection_properties.JDBC_CONNECTION_URL).toMatch(/^jdbc:redshift:\/\/\$\{aws_redshiftserverless_workgroup\.[^}]+\.endpoint\[0\]\.address\}:5439\/analytics$/);

    const withTables = loadPipelines(["dev", "stage", "prod"]).filter((p) => p.contract.warehouse && resolvePipelineSettings(p.definition, environment).enabled);
    const migrations = statementsOf(platform).filter((s) => s.sql.startsWith('CALL "data_platform"."dp_apply_migration"'));
    // The foundation, then one migration per pipeline with a table: never one statement per column.
    expect(migrations).toHaveLength(1 + withTables.length);
    expect(statementsOf(platform)).toHaveLength(BOOTSTRAP_STATEMENTS + 1 + withTables.length);
    for (const pipeline of withTables) {
      const expected = pipelineMigration("data_platform", pipeline.contract, USERS, pipeline.definition.bi?.publish ? (pipeline.definition.bi.source ?? "table") : undefined);
      expect(migrations.map((m) => m.sql)).toContain(expected.sql);
      expect(expected.statements).toContain(createTableSql(pipeline.contract));
    }
  });

  it("holds no password, hash or generated secret anywhere", () => {
    for (const { platform } of synthAll()) {
      expect(secretFindings(platform)).toEqual([]);
      // What Terraform keeps in state: resources and data sources (ephemeral blocks never are).
      // Write-only arguments (`*_wo`) are not kept either.
      const text = JSON.stringify({ resource: platform.resource, data: platform.data }).replace(/"[a-z_]+_wo":"[^"]*"/g, "");
      expect(text).not.toMatch(/"admin_user_password"/);
      expect(text).not.toMatch(/PASSWORD '/);
      expect(text).not.toMatch(/md5/);
      expect(text).not.toContain("random_password");
      expect(statementsOf(platform).some((s) => s.sql.includes("PASSWORD DISABLE"))).toBe(true);
    }
  });

  it("ships the attendees table and the attendees_by_country view in one migration", () => {
    const attendees = loadPipelines(["dev", "stage", "prod"]).find((p) => p.name === "attendees")!;
    const applied = pipelineMigration("data_platform", attendees.contract, USERS, attendees.definition.bi?.publish ? (attendees.definition.bi.source ?? "table") : undefined);
    expect(statementsOf(synthEnvironment("dev").platform).map((s) => s.sql)).toContain(applied.sql);
    const view = attendees.contract.warehouse!.materialized_views.find((v) => v.name === "attendees_by_country")!;
    const nested = applied.statements.find((s) => s.includes('"attendees.attendees_by_country"') || s.includes("'attendees.attendees_by_country'"));
    expect(nested).toBeDefined();
    expect(nested).toContain(quoteLiteral(quoteLiteral(createMaterializedViewSql(attendees.contract, view))).slice(1, -1));
  });

  it("keeps the workgroup private, encrypted, TLS-only and audited", () => {
    const { platform } = synthEnvironment("stage");
    const [, workgroup] = resourcesOf(platform, "aws_redshiftserverless_workgroup")[0];
    expect(workgroup.publicly_accessible).toBe(false);
    expect(workgroup.enhanced_vpc_routing).toBe(true);
    expect(workgroup.subnet_ids).toHaveLength(3);
    const parameters = Object.fromEntries(workgroup.config_parameter.map((p: { parameter_key: string; parameter_value: string }) => [p.parameter_key, p.parameter_value]));
    expect(parameters.require_ssl).toBe("true");
    expect(parameters.enable_user_activity_logging).toBe("true");
    const [, namespace] = resourcesOf(platform, "aws_redshiftserverless_namespace")[0];
    expect(namespace.manage_admin_password).toBe(true);
    expect(namespace.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(namespace.admin_password_secret_kms_key_id).toBe(namespace.kms_key_id);
    expect(namespace.log_exports).toEqual(["useractivitylog", "userlog", "connectionlog"]);
    expect(namespace.default_iam_role_arn).toMatch(/^\$\{aws_iam_role\./);
    expect(namespace.iam_roles).toEqual([namespace.default_iam_role_arn]);
  });

  it("protects prod and keeps a baseline snapshot for the configured days there only", () => {
    const prod = synthEnvironment("prod");
    for (const type of ["aws_redshiftserverless_namespace", "aws_redshiftserverless_workgroup", "aws_secretsmanager_secret"]) {
      expect(resourcesOf(prod.platform, type).every(([, r]) => r.lifecycle?.prevent_destroy === true)).toBe(true);
    }
    const snapshots = resourcesOf(prod.platform, "aws_redshiftserverless_snapshot").map(([, s]) => s);
    expect(snapshots.map((s) => s.retention_period)).toEqual([prod.environment.warehouse.snapshotRetentionDays]);
    expect(resourcesOf(synthEnvironment("dev").platform, "aws_redshiftserverless_snapshot")).toHaveLength(0);
    expect(resourcesOf(synthEnvironment("dev").platform, "aws_redshiftserverless_namespace")[0][1].lifecycle.prevent_destroy).toBe(false);
  });

  it("keeps each user's secret KMS-encrypted, valued by its rotation and never by Terraform", () => {
    const { platform } = synthEnvironment("dev");
    const secrets = resourcesOf(platform, "aws_secretsmanager_secret").filter(([, s]) => /warehouse/.test(s.name));
    expect(secrets.map(([, s]) => [s.name, s.tags.DatabaseUser]).sort()).toEqual([
      ["dp-dev-warehouse-bi-reader", "dp_bi_reader"],
      ["dp-dev-warehouse-etl-writer", "dp_etl_writer"],
    ]);
    expect(secrets.every(([, s]) => /^\$\{aws_kms_key\./.test(s.kms_key_id))).toBe(true);
    expect(resourcesOf(platform, "aws_secretsmanager_secret_version").filter(([id]) => /warehouse/.test(id))).toEqual([]);
    const rotations = resourcesOf(platform, "aws_secretsmanager_secret_rotation").map(([, r]) => r);
    expect(rotations.map((r) => r.secret_id).sort()).toEqual(secrets.map(([id]) => `\${aws_secretsmanager_secret.${id}.arn}`).sort());
    for (const rotation of rotations) {
      expect(rotation.rotate_immediately).toBe(true);
      expect(rotation.rotation_lambda_arn).toMatch(/^\$\{aws_lambda_function\./);
      expect(rotation.depends_on).toContain(`aws_redshiftdata_statement.${resourcesOf(platform, "aws_redshiftdata_statement").find(([id]) => id.includes("migration-platform"))![0]}`);
    }
  });

  it("grants the BI reader SELECT on what BI publishes and nothing else", () => {
    const prod = synthEnvironment("prod");
    const published = loadPipelines(["dev", "stage", "prod"]).filter((p) => p.contract.warehouse && resolvePipelineSettings(p.definition, prod.environment).enabled);
    const statements = [foundationMigration("data_platform", USERS), ...published.map((p) => pipelineMigration("data_platform", p.contract, USERS, warehousePipeline(p).biSource))]
      .flatMap((m) => m.statements);
    const all = statements.join("\n");
    const readerGrants = [...all.matchAll(/GRANT [A-Z, ]+ ON (?:TABLE|SCHEMA) [^'\n]*?TO (?:"|"")dp_bi_reader/g)].map((m) => m[0].replace(/""/g, '"'));
    expect(readerGrants.sort()).toEqual([
      'GRANT SELECT ON TABLE "data_platform"."attendees_by_country" TO "dp_bi_reader',
      'GRANT SELECT ON TABLE "data_platform"."checkins_by_session" TO "dp_bi_reader',
      'GRANT USAGE ON SCHEMA "data_platform" TO "dp_bi_reader',
    ]);
    // The jobs' MERGE updates and inserts; they delete only from their own staging tables.
    expect(statements).toContain('GRANT SELECT, INSERT, UPDATE ON TABLE "data_platform"."attendees" TO "dp_etl_writer"');
    expect(statements).toContain('GRANT USAGE, CREATE ON SCHEMA "data_platform" TO "dp_etl_writer"');
  });

  it("creates the views as the ETL writer, who must own them to REFRESH after each MERGE", () => {
    const attendees = loadPipelines(["dev", "stage", "prod"]).find((p) => p.name === "attendees")!;
    for (const view of attendees.contract.warehouse!.materialized_views) {
      const applied = viewMigration("data_platform", attendees.contract, view.name, USERS, false);
      expect(applied.statements.every((s) => s.startsWith('CALL "data_platform"."dp_run_as_etl_writer"('))).toBe(true);
    }
    const foundation = foundationMigration("data_platform", USERS).statements;
    expect(foundation).toContain('ALTER PROCEDURE "data_platform"."dp_run_as_etl_writer"(VARCHAR) OWNER TO "dp_etl_writer"');
    expect(foundation).toContain('REVOKE EXECUTE ON PROCEDURE "data_platform"."dp_run_as_etl_writer"(VARCHAR) FROM PUBLIC');
    for (const statement of statementsOf(synthEnvironment("dev").platform)) expect(statement.secret_arn).toMatch(/admin_password_secret_arn/);
  });
});

describe("warehouse props", () => {
  const base = TEST_WAREHOUSE_PROPS;

  it("accepts a sound configuration and synthesizes it", () => {
    expect(() => validateWarehouseProps(base)).not.toThrow();
    const stack = new TerraformStack(Testing.app(), "t");
    const warehouse = new Warehouse(stack, "w", base);
    expect(warehouse.port).toBe(5439);
    expect(warehouse.jobConnection.tempDir).toBe("s3://artifacts/temp/redshift/");
    expect(warehouse.tables).toEqual({});
  });

  it.each([
    [{ subnetIds: ["s-1", "s-2"], subnetAvailabilityZones: ["a", "b"] }, /subnetIds: 2 subnets; Redshift Serverless needs at least 3/],
    [{ subnetAvailabilityZones: ["eu-west-1a", "eu-west-1a", "eu-west-1b"] }, /repeats a zone/],
    [{ baseCapacityRpu: 12 }, /baseCapacityRpu: 12 RPUs: Redshift Serverless takes 8-512 in units of 8/],
    [{ baseCapacityRpu: 520, maxCapacityRpu: 520 }, /baseCapacityRpu: 520 RPUs: .*units of 32 in eu-west-1/],
    [{ maxCapacityRpu: 8, baseCapacityRpu: 16 }, /maxCapacityRpu: 8; must be >= baseCapacityRpu \(16\)/],
    [{ usageLimits: [] }, /usageLimits: \[\]; at least one limit/],
    [{ tempPrefix: "temp" }, /tempPrefix: "temp"; must end in "\/"/],
    [{ pipelines: [{ name: "attendees", contract: loadPipelines(["dev", "stage", "prod"])[0].contract, biSource: "nope" }] }, /pipelines\[attendees\]\.biSource: "nope"; valid: table, attendees_by_country/],
  ] as [Partial<WarehouseProps>, RegExp][])("refuses %j", (change, message) => {
    expect(() => validateWarehouseProps({ ...base, ...change })).toThrow(message);
  });
});

describe("warehouse IAM", () => {
  const { platform } = synthEnvironment("dev");
  const redshift = rolePolicies(platform, roleResourceName(platform, "dp-dev-redshift"));
  const curated = "dp-dev-curated-111122223333-eu-west-1";
  const artifacts = "dp-dev-artifacts-111122223333-eu-west-1";
  const key = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000";

  it("names only real actions", async () => {
    expect(await unknownActions(redshift.flatMap(actionsIn))).toEqual([]);
    const pure = redshiftRolePolicy({ accountId: "1", region: "r", curatedBucketName: "c", tempBucketName: "t", tempPrefix: "p/", spectrumDatabasePatterns: ["d_*"], kmsKeyArn: "k" });
    expect(await unknownActions(actionsIn(pure as never))).toEqual([]);
  });

  it("trusts Redshift only, under both principals Redshift Serverless documents", () => {
    const [, role] = resourcesOf(platform, "aws_iam_role").find(([, r]) => r.name === "dp-dev-redshift")!;
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement.map((s: { Principal: unknown }) => s.Principal)).toEqual([{ Service: ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] }]);
  });

  it.each([
    ["s3:GetObject", `arn:aws:s3:::${curated}/attendees/year=2026/part-0.parquet`, "Allowed"],
    ["s3:ListBucket", `arn:aws:s3:::${curated}`, "Allowed"],
    ["s3:PutObject", `arn:aws:s3:::${curated}/attendees/x.parquet`, "ImplicitlyDenied"],
    ["s3:DeleteObject", `arn:aws:s3:::${curated}/attendees/x.parquet`, "ImplicitlyDenied"],
    ["s3:PutObject", `arn:aws:s3:::${artifacts}/temp/redshift/unload/0000_part_00`, "Allowed"],
    ["s3:GetObject", `arn:aws:s3:::${artifacts}/temp/redshift/unload/0000_part_00`, "Allowed"],
    ["s3:PutObject", `arn:aws:s3:::${artifacts}/scripts/streaming_etl.py`, "ImplicitlyDenied"],
    ["s3:GetObject", `arn:aws:s3:::${artifacts}/contracts/attendees/x.json`, "ImplicitlyDenied"],
    ["glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:table/dp_dev_lake/attendees", "Allowed"],
    ["glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:table/other_db/attendees", "ImplicitlyDenied"],
    ["glue:UpdateTable", "arn:aws:glue:eu-west-1:111122223333:table/dp_dev_lake/attendees", "ImplicitlyDenied"],
    ["kms:Decrypt", key, "Allowed"],
    ["kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/another", "ImplicitlyDenied"],
  ])("Redshift role: %s on %s is %s", async (action, resource, expected) => {
    // KMS always consults the key policy too; the platform key's delegates to IAM.
    const resourcePolicy = action.startsWith("kms:") ? (platformKeyPolicy({ accountId: "111122223333", region: "eu-west-1" }) as never) : undefined;
    expect(await simulate(redshift, action, resource, { resourcePolicy })).toBe(expected);
  });

  it("lists the temp prefix only", async () => {
    expect(await simulate(redshift, "s3:ListBucket", `arn:aws:s3:::${artifacts}`, { context: { "s3:prefix": "temp/redshift/load/" } })).toBe("Allowed");
    expect(await simulate(redshift, "s3:ListBucket", `arn:aws:s3:::${artifacts}`, { context: { "s3:prefix": "scripts/" } })).toBe("ImplicitlyDenied");
  });
});
