import { Bi, BiDefinitionError, createPipelineBi, columnOf, dataSetModel, friendlyColumnName, isRedshiftServerlessPort, qTopicRequest, quicksightInputType, sampleDashboardDefinition } from "../../modules/bi";
import { Namer } from "../../lib/naming";
import { compilePipeline } from "../../pipelines/compile";
import { attendees } from "../../pipelines/attendees";
import type { PipelineDefinition } from "../../pipelines";
import { SAMPLE_DASHBOARD, biDataSetInput, biDataSetInputs, biNames, biPropsFrom } from "../../stacks/bi-wiring";
import { checkName } from "../../lib/naming";
import { TerraformStack, Testing } from "cdktf";
import { env, pipelines, STAND_IN } from "./helpers";

const prod = env("prod");
const namer = new Namer(prod.name, prod.account.id, prod.account.region);

describe("contract type → QuickSight input type", () => {
  it.each([
    ["string", "STRING"],
    ["int", "INTEGER"],
    ["long", "INTEGER"],
    ["double", "DECIMAL"],
    ["decimal(10,2)", "DECIMAL"],
    ["boolean", "BOOLEAN"],
    ["date", "DATETIME"],
    ["timestamp", "DATETIME"],
  ])("%s → %s", (contract, quicksight) => expect(quicksightInputType(contract)).toBe(quicksight));

  it("refuses an unknown type, naming it and what is valid", () => {
    expect(() => quicksightInputType("varchar", "columns[2] type")).toThrow(/columns\[2\] type: "varchar" has no QuickSight type; valid contract types are string, int/);
  });
});

describe("data set model", () => {
  const input = { key: "k", dataSetId: "dp-dev-k", displayName: "K", schema: "data_platform", relation: "k_view", relationKind: "materialized_view" as const };

  it("gives friendly names and keeps the warehouse names as input columns", () => {
    expect(friendlyColumnName("attendee_count")).toBe("Attendee count");
    const model = dataSetModel({ ...input, columns: [{ name: "country_name", type: "string", description: "Country" }] });
    expect(model.columns[0]).toMatchObject({ source: "country_name", name: "Country name", inputType: "STRING" });
    expect(model.physicalTableId).toBe("k-view");
  });

  it("refuses duplicate columns, missing descriptions and an empty column list, naming the data set and column", () => {
    expect(() => dataSetModel({ ...input, columns: [] })).toThrow(/bi data set "k": columns is empty/);
    const c = { name: "a", type: "string", description: "A" };
    expect(() => dataSetModel({ ...input, columns: [c, c] })).toThrow(/columns\[1\] \("a"\): duplicate column name/);
    expect(() => dataSetModel({ ...input, columns: [{ ...c, description: "" }] })).toThrow(/columns\[0\] \("a"\): description is 0 characters; QuickSight takes 1-500/);
  });

  it("names the missing column and the available ones when a consumer needs one", () => {
    const model = dataSetModel({ ...input, columns: [{ name: "a", type: "string", description: "A" }] });
    expect(() => columnOf(model, "b", "a test")).toThrow('a test needs column "b", which data set "k" (data_platform.k_view) does not have; its columns: a');
  });
});

/** A copy of the attendees definition whose countries reference names its column `country` instead of `country_name`. */
function attendeesWithCountryRenamed(): PipelineDefinition {
  const copy = structuredClone(attendees) as unknown as { references: { columns: { as?: string }[] }[]; warehouse: { materializedViews: { groupBy: string[] }[] }; bi: { geographic: { column: string }[]; synonyms: Record<string, string[]> } };
  copy.references[0].columns[0].as = "country";
  copy.warehouse.materializedViews[0].groupBy = copy.warehouse.materializedViews[0].groupBy.map((c) => (c === "country_name" ? "country" : c));
  copy.bi.geographic[0].column = "country";
  copy.bi.synonyms = { country: copy.bi.synonyms.country_name };
  return copy as unknown as PipelineDefinition;
}

describe("a contract change that breaks the dashboard breaks the build", () => {
  it("the unchanged attendees pipeline builds its sample dashboard", () => {
    const input = biDataSetInput(compilePipeline(attendees), namer)!;
    expect(() => sampleDashboardDefinition(dataSetModel(input), "arn", SAMPLE_DASHBOARD)).not.toThrow();
  });

  it("renaming country_name in the contract fails the sample dashboard, naming the column", () => {
    const renamed = compilePipeline(attendeesWithCountryRenamed());
    expect(renamed.contract.warehouse!.materialized_views[0].columns.map((c) => c.name)).toContain("country");
    const model = dataSetModel(biDataSetInput(renamed, namer)!);
    expect(() => sampleDashboardDefinition(model, "arn", SAMPLE_DASHBOARD)).toThrow(/needs column "country_name", which data set "attendees" .* does not have; its columns: country_code, country, /);
  });

  it("dropping the geographic column from the view fails the data set, naming it", () => {
    const copy = structuredClone(attendees) as unknown as { warehouse: { materializedViews: { groupBy: string[] }[] } };
    copy.warehouse.materializedViews[0].groupBy = copy.warehouse.materializedViews[0].groupBy.filter((c) => c !== "country_name");
    expect(() => biDataSetInput(compilePipeline(copy as unknown as PipelineDefinition), namer)).toThrow(/bi.geographic\[0\].column "country_name" is not a column of data_platform.attendees_by_country/);
  });

  it("the stack-level build fails too: the pipeline stack's sample dashboard refuses a column that is gone", () => {
    const renamed = compilePipeline(attendeesWithCountryRenamed());
    const audience = { region: prod.account.region, accountId: prod.account.id, authorGroup: prod.bi.authorGroup, readerGroup: prod.bi.readerGroup };
    const build = () =>
      createPipelineBi(new TerraformStack(Testing.app(), "t"), {
        audience,
        dataSourceArn: "arn:aws:quicksight:eu-west-1:777788889999:datasource/dp-prod-warehouse",
        dataSet: biDataSetInput(renamed, namer)!,
        sample: { dashboard: SAMPLE_DASHBOARD, analysisId: "a", dashboardId: "d" },
      });
    expect(build).toThrow(/country_name/);
  });

  it("the sample dashboard refuses unsuitable columns with the reason", () => {
    const model = dataSetModel(biDataSetInput(compilePipeline(attendees), namer)!);
    expect(() => sampleDashboardDefinition(model, "arn", { ...SAMPLE_DASHBOARD, measure: "ticket_type" })).toThrow(/measure "ticket_type" is STRING; SUM needs INTEGER or DECIMAL/);
    expect(() => sampleDashboardDefinition(model, "arn", { ...SAMPLE_DASHBOARD, geography: "ticket_type" })).toThrow(/"ticket_type" has no geographic role/);
  });
});

describe("wiring (stacks/bi-wiring.ts)", () => {
  const network = { privateSubnetIds: STAND_IN.subnetIds, quicksightSecurityGroupId: STAND_IN.securityGroupId };
  const warehouse = STAND_IN.warehouse(prod, { databaseName: "dev" });

  it("maps the environment's bi section and the outputs to props", () => {
    const props = biPropsFrom(prod, network, warehouse, STAND_IN.platform(prod));
    expect(props).toMatchObject({
      accountId: prod.account.id,
      region: prod.account.region,
      subnetIds: STAND_IN.subnetIds,
      securityGroupId: STAND_IN.securityGroupId,
      workgroupEndpoint: STAND_IN.endpoint,
      readerSecretArn: warehouse.biReaderSecretArn,
      authorGroup: prod.bi.authorGroup,
      readerGroup: prod.bi.readerGroup,
      createAccountSubscription: prod.bi.createAccountSubscription,
      notificationEmail: prod.bi.notificationEmail,
    });
  });

  it("publishes only pipelines that ask for it, reading the relation named by bi.source", () => {
    const inputs = biDataSetInputs(pipelines, namer);
    const publishing = pipelines.filter((p) => p.definition.bi?.publish);
    expect(inputs.map((i) => i.key)).toEqual(publishing.map((p) => p.name));
    for (const input of inputs) {
      const p = publishing.find((x) => x.name === input.key)!;
      expect(input.relation).toBe(p.definition.bi!.source ?? p.contract.warehouse!.table);
    }
  });

  it("gives the core's BI no data set and no sample: each pipeline's stack builds its own", () => {
    const props = biPropsFrom(prod, network, warehouse, STAND_IN.platform(prod));
    expect(props.datasets).toEqual([]);
    expect(props.sampleDashboard).toBeUndefined();
  });

  it("makes every name with the Namer, within QuickSight's and IAM's rules", () => {
    const names = biNames(namer);
    expect(() => checkName("iamRole", names.vpcConnectionRoleName)).not.toThrow();
    for (const id of [names.vpcConnectionId, names.dataSourceId, names.sampleAnalysisId, names.sampleDashboardId]) {
      expect(id.startsWith("dp-prod-")).toBe(true);
      expect(id).toMatch(/^[\w-]{1,512}$/);
    }
  });

  it("rejects props AWS would refuse, saying what is valid", () => {
    const props = biPropsFrom(prod, { ...network, privateSubnetIds: ["subnet-0aaa1111bbbb2222c"] }, { ...warehouse, port: 22 }, { ...STAND_IN.platform(prod), kmsKeyArn: "not-a-key" });
    const attempt = () => new Bi(new TerraformStack(Testing.app(), "t"), "bi", props);
    expect(attempt).toThrow(/subnetIds: 1 given; a QuickSight VPC connection needs at least 2 subnets/);
    expect(attempt).toThrow(/port: 22 is outside Redshift Serverless's range/);
    expect(attempt).toThrow(/kmsKeyArn: "not-a-key" must be a KMS key ARN/);
    expect(isRedshiftServerlessPort(5439)).toBe(true);
    expect(isRedshiftServerlessPort(5456)).toBe(false);
    expect(new BiDefinitionError("x").name).toBe("BiDefinitionError");
  });
});

describe("Q topic skeleton", () => {
  const request = qTopicRequest({ accountId: prod.account.id, region: prod.account.region, topicId: "dp-prod-q-topic", name: "n", description: "d", dataSets: biDataSetInputs(pipelines, namer).map(dataSetModel) });

  it("carries the pipelines' synonyms on the data sets' friendly column names", () => {
    const attendeesTopic = request.Topic.DataSets.find((d) => d.DatasetArn.endsWith("/dp-prod-attendees"))!;
    const count = attendeesTopic.Columns.find((c) => c.ColumnName === "Attendee count")!;
    expect(count.ColumnSynonyms).toEqual([...attendees.bi.synonyms.attendee_count]);
    expect(count).toMatchObject({ ColumnDataRole: "MEASURE", Aggregation: "SUM" });
    expect(attendeesTopic.Columns.find((c) => c.ColumnName === "Ticket type")!.ColumnDataRole).toBe("DIMENSION");
  });

  it("points at the data set ARNs the module creates", () => {
    expect(request.Topic.DataSets.map((d) => d.DatasetArn)).toEqual(
      biDataSetInputs(pipelines, namer).map((i) => `arn:aws:quicksight:${prod.account.region}:${prod.account.id}:dataset/${i.dataSetId}`),
    );
  });
});
