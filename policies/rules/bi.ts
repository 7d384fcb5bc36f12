import { block, blocks } from "../harness";
import { PolicyRule, ResourceBlock } from "../types";

/** True when a data set reads (through any physical table) a data source of type REDSHIFT. */
function readsRedshift(dataSet: ResourceBlock, redshiftSources: readonly ResourceBlock[]): boolean {
  const sourceArns = blocks(dataSet.config.physical_table_map).flatMap((table) =>
    [block(table.relational_table), block(table.custom_sql)].flatMap((t) => (typeof t?.data_source_arn === "string" ? [t.data_source_arn] : [])),
  );
  return sourceArns.some((arn) =>
    redshiftSources.some((source) => arn.includes(`\${${source.address}.`) || arn.endsWith(`:datasource/${String(source.config.data_source_id)}`)),
  );
}

/** BI is switched per environment (`bi.enabled`): a stack without it says so instead of passing silently. */
function withoutQuickSight(type: string) {
  return (context: { resourcesOfType(type: string): ResourceBlock[] }): string | undefined =>
    context.resourcesOfType(type).length === 0 ? `no ${type} in this stack: BI is off here (environment bi.enabled = false) or not wired yet` : undefined;
}

export const biRules: PolicyRule[] = [
  {
    id: "QS-SSL",
    description: "QuickSight data sources keep SSL on",
    references: ["AwsSolutions-QS1"],
    resourceTypes: ["aws_quicksight_data_source"],
    notApplicable: withoutQuickSight("aws_quicksight_data_source"),
    check: (source) => {
      const ssl = block(source!.config.ssl_properties);
      if (!ssl) return ["ssl_properties is not set: declare disable_ssl = false so SSL cannot be switched off unseen"];
      return ssl.disable_ssl === false ? [] : [`ssl_properties.disable_ssl is ${JSON.stringify(ssl.disable_ssl)}; it must be false`];
    },
  },
  {
    id: "QS-DQ",
    description: "QuickSight data sets over Redshift use DIRECT_QUERY",
    references: ["design: QuickSight never keeps a copy of warehouse data (no SPICE)"],
    resourceTypes: ["aws_quicksight_data_set"],
    notApplicable: withoutQuickSight("aws_quicksight_data_set"),
    check: (dataSet, context) => {
      const redshift = context.resourcesOfType("aws_quicksight_data_source").filter((s) => s.config.type === "REDSHIFT");
      if (!readsRedshift(dataSet!, redshift)) return [];
      const mode = dataSet!.config.import_mode;
      return mode === "DIRECT_QUERY" ? [] : [`import_mode is ${JSON.stringify(mode)} over a Redshift data source; it must be DIRECT_QUERY (SPICE would copy warehouse data)`];
    },
  },
];
