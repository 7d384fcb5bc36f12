/**
 * QuickSight resource-permission action lists, per resource and role, exactly as AWS documents them
 * (never `quicksight:*`). Sources:
 * - data sets: https://docs.aws.amazon.com/quicksight/latest/developerguide/update-data-set-permissions.html
 *   (viewer list) and the owner list the QuickSight console grants to a data set owner
 *   (https://docs.aws.amazon.com/quicksight/latest/APIReference/API_CreateDataSet.html examples);
 * - data sources: https://docs.aws.amazon.com/quicksight/latest/user/secrets-manager-integration-api.html
 *   (owner list) and its read-only subset for viewers;
 * - analyses: https://docs.aws.amazon.com/quicksight/latest/developerguide/update-analysis-permissions.html;
 * - dashboards: https://docs.aws.amazon.com/quicksight/latest/developerguide/update-dashboard-permissions.html
 *   (viewer list) and the co-owner list of the console's "share dashboard" dialog.
 */
export const QUICKSIGHT_ACTIONS = {
  dataSource: {
    owner: [
      "quicksight:DeleteDataSource",
      "quicksight:DescribeDataSource",
      "quicksight:DescribeDataSourcePermissions",
      "quicksight:PassDataSource",
      "quicksight:UpdateDataSource",
      "quicksight:UpdateDataSourcePermissions",
    ],
    viewer: ["quicksight:DescribeDataSource", "quicksight:DescribeDataSourcePermissions", "quicksight:PassDataSource"],
  },
  dataSet: {
    owner: [
      "quicksight:CancelIngestion",
      "quicksight:CreateIngestion",
      "quicksight:DeleteDataSet",
      "quicksight:DescribeDataSet",
      "quicksight:DescribeDataSetPermissions",
      "quicksight:DescribeIngestion",
      "quicksight:ListIngestions",
      "quicksight:PassDataSet",
      "quicksight:UpdateDataSet",
      "quicksight:UpdateDataSetPermissions",
    ],
    viewer: [
      "quicksight:DescribeDataSet",
      "quicksight:DescribeDataSetPermissions",
      "quicksight:DescribeIngestion",
      "quicksight:ListIngestions",
      "quicksight:PassDataSet",
    ],
  },
  analysis: {
    owner: [
      "quicksight:DeleteAnalysis",
      "quicksight:DescribeAnalysis",
      "quicksight:DescribeAnalysisPermissions",
      "quicksight:QueryAnalysis",
      "quicksight:RestoreAnalysis",
      "quicksight:UpdateAnalysis",
      "quicksight:UpdateAnalysisPermissions",
    ],
  },
  dashboard: {
    owner: [
      "quicksight:DeleteDashboard",
      "quicksight:DescribeDashboard",
      "quicksight:DescribeDashboardPermissions",
      "quicksight:ListDashboardVersions",
      "quicksight:QueryDashboard",
      "quicksight:UpdateDashboard",
      "quicksight:UpdateDashboardPermissions",
      "quicksight:UpdateDashboardPublishedVersion",
    ],
    viewer: ["quicksight:DescribeDashboard", "quicksight:ListDashboardVersions", "quicksight:QueryDashboard"],
  },
} as const;

/**
 * Permission actions that exist only in QuickSight's resource-permission vocabulary, not as IAM
 * actions (the IAM service reference has no entry for them), yet AWS's documented lists require
 * them: without QueryDashboard a reader sees an empty dashboard. Tests check every other action
 * against the IAM reference, and check that these are still absent from it.
 */
export const PERMISSION_ONLY_ACTIONS = ["quicksight:QueryAnalysis", "quicksight:QueryDashboard"] as const;
