/**
 * QuickSight resource-permission action lists, per resource and role, as AWS documents them (never
 * `quicksight:*`). Viewer lists: update-data-set-permissions.html and update-dashboard-permissions.html
 * in https://docs.aws.amazon.com/quicksight/latest/developerguide/; data source owner list:
 * https://docs.aws.amazon.com/quicksight/latest/user/secrets-manager-integration-api.html. Owner
 * lists of data sets, analyses and dashboards: the sets the QuickSight console grants an owner
 * (what Describe*Permissions returns for a console-shared owner, and the AWS provider's examples).
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
