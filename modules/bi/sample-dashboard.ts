import { BiDefinitionError, DataSetModel, columnOf } from "./data-set-model";

/**
 * The sample analysis and dashboard, as a QuickSight `definition` built from a data set's columns:
 * a renamed or dropped column fails the build here, not in a broken dashboard. The provider types
 * `definition` as `any`, so keys are written in Terraform's snake_case exactly as the provider's
 * schema names them (internal/service/quicksight/schema: analysis.go, visual_bar_chart.go,
 * visual_filled_map.go, visual_fields.go, template_filter.go, template_control.go).
 */
export interface SampleDashboardInput {
  /** Key of the data set it shows. */
  readonly dataSet: string;
  /** Warehouse column of the bars and the map regions' label: a string column. */
  readonly category: string;
  /** Warehouse column summed in both visuals: a numeric column. */
  readonly measure: string;
  /** Warehouse column shaded on the filled map: must carry a geographic role. */
  readonly geography: string;
  /** Warehouse column of the filter and its drop-down control: a string column. */
  readonly filter: string;
  /** Title of the sheet. */
  readonly title: string;
}

const NUMERIC = new Set(["INTEGER", "DECIMAL"]);
const SHEET_ID = "overview";

export function sampleDashboardDefinition(model: DataSetModel, dataSetArn: string, input: SampleDashboardInput) {
  if (model.key !== input.dataSet) throw new BiDefinitionError(`sample dashboard reads data set "${input.dataSet}" but was given "${model.key}"`);
  const category = columnOf(model, input.category, "the sample dashboard's bar chart (category)");
  const measure = columnOf(model, input.measure, "the sample dashboard's measure");
  const geography = columnOf(model, input.geography, "the sample dashboard's filled map");
  const filter = columnOf(model, input.filter, "the sample dashboard's filter");
  if (category.inputType !== "STRING") throw new BiDefinitionError(`sample dashboard category "${category.source}" is ${category.inputType}; a bar chart category must be STRING`);
  if (!NUMERIC.has(measure.inputType)) throw new BiDefinitionError(`sample dashboard measure "${measure.source}" is ${measure.inputType}; SUM needs INTEGER or DECIMAL`);
  if (!geography.geographicRole) throw new BiDefinitionError(`sample dashboard map column "${geography.source}" has no geographic role; set one in the pipeline's bi.geographic`);
  if (filter.inputType !== "STRING") throw new BiDefinitionError(`sample dashboard filter "${filter.source}" is ${filter.inputType}; a category filter needs STRING`);

  const identifier = model.key;
  const col = (name: string) => ({ data_set_identifier: identifier, column_name: name });
  const dimension = (fieldId: string, name: string) => ({ categorical_dimension_field: { field_id: fieldId, column: col(name) } });
  const sum = (fieldId: string) => ({
    numerical_measure_field: { field_id: fieldId, column: col(measure.name), aggregation_function: { simple_numerical_aggregation: "SUM" } },
  });
  const filterId = `${filter.source.replace(/_/g, "-")}-filter`;

  return {
    data_set_identifiers_declarations: [{ identifier, data_set_arn: dataSetArn }],
    sheets: [
      {
        sheet_id: SHEET_ID,
        name: input.title,
        title: input.title,
        visuals: [
          {
            bar_chart_visual: {
              visual_id: "bar-by-category",
              chart_configuration: {
                orientation: "HORIZONTAL",
                field_wells: { bar_chart_aggregated_field_wells: { category: [dimension("bar-category", category.name)], values: [sum("bar-measure")] } },
              },
            },
          },
          {
            filled_map_visual: {
              visual_id: "map-by-geography",
              chart_configuration: {
                field_wells: { filled_map_aggregated_field_wells: { geospatial: [dimension("map-geography", geography.name)], values: [sum("map-measure")] } },
              },
            },
          },
        ],
        filter_controls: [{ dropdown: { filter_control_id: `${filterId}-control`, source_filter_id: filterId, title: filter.name, type: "MULTI_SELECT" } }],
      },
    ],
    filter_groups: [
      {
        filter_group_id: `${filterId}-group`,
        cross_dataset: "SINGLE_DATASET",
        status: "ENABLED",
        filters: [
          {
            category_filter: {
              filter_id: filterId,
              column: col(filter.name),
              configuration: { filter_list_configuration: { match_operator: "CONTAINS", select_all_options: "FILTER_ALL_VALUES" } },
            },
          },
        ],
        scope_configuration: { selected_sheets: { sheet_visual_scoping_configurations: [{ sheet_id: SHEET_ID, scope: "ALL_VISUALS" }] } },
      },
    ],
  };
}

export type SampleDashboardDefinition = ReturnType<typeof sampleDashboardDefinition>;
