import { BadCase, stackOf } from "./builders";

const redshiftSource = (ssl: unknown) => ({
  aws_quicksight_data_source: {
    ds: { data_source_id: "dp-dev-warehouse", type: "REDSHIFT", parameters: { redshift: { host: "h", port: 5439, database: "d" } }, ...(ssl === undefined ? {} : { ssl_properties: ssl }) },
  },
});

/** For each BI rule: a resource it must reject. */
export const biBadCases: Record<string, BadCase> = {
  "QS-SSL": { stack: stackOf(redshiftSource({ disable_ssl: true })), address: "aws_quicksight_data_source.ds" },
  "QS-DQ": {
    stack: stackOf({
      ...redshiftSource({ disable_ssl: false }),
      aws_quicksight_data_set: {
        spice: {
          data_set_id: "dp-dev-attendees",
          import_mode: "SPICE",
          physical_table_map: [{ physical_table_map_id: "t", relational_table: { data_source_arn: "${aws_quicksight_data_source.ds.arn}", name: "attendees", input_columns: [] } }],
        },
      },
    }),
    address: "aws_quicksight_data_set.spice",
  },
};
