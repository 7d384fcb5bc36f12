import type { DataSetModel } from "./data-set-model";

/**
 * The request body of `aws quicksight create-topic --cli-input-json`, generated from the data sets:
 * the AWS provider has no Q topic resource, so the topic is created once by hand (docs/bi.md) from
 * this skeleton. Synonyms live here: the data set API has column descriptions but no synonyms.
 * Shape: https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateTopic.html
 */
export interface QTopicInput {
  readonly accountId: string;
  readonly region: string;
  readonly topicId: string;
  readonly name: string;
  readonly description: string;
  readonly dataSets: readonly DataSetModel[];
}

const MEASURE_TYPES = new Set(["INTEGER", "DECIMAL"]);

/** Data set ARNs are deterministic (`dataset/<id>`), so the topic needs no synthesis or lookup. */
export function dataSetArn(region: string, accountId: string, dataSetId: string): string {
  return `arn:aws:quicksight:${region}:${accountId}:dataset/${dataSetId}`;
}

export function qTopicRequest(input: QTopicInput) {
  return {
    AwsAccountId: input.accountId,
    TopicId: input.topicId,
    Topic: {
      Name: input.name,
      Description: input.description,
      DataSets: input.dataSets.map((model) => ({
        DatasetArn: dataSetArn(input.region, input.accountId, model.dataSetId),
        DatasetName: model.displayName,
        DatasetDescription: `${model.displayName} (${model.schema}.${model.relation}, Direct Query on Redshift)`,
        Columns: model.columns.map((c) => ({
          ColumnName: c.name,
          ColumnFriendlyName: c.name,
          ColumnDescription: c.description,
          ColumnSynonyms: [...c.synonyms],
          ColumnDataRole: MEASURE_TYPES.has(c.inputType) ? "MEASURE" : "DIMENSION",
          ...(MEASURE_TYPES.has(c.inputType) ? { Aggregation: "SUM" } : {}),
          IsIncludedInTopic: true,
        })),
      })),
    },
  };
}
