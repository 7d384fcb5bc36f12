// @ts-check
/**
 * Finds the pull-request workflow run whose plans were reviewed for the commit now on main: the
 * merged pull request of this commit, then the latest successful run of the PR workflow on that
 * pull request's head. Throws, with a message for the deploy log, when there is none, because a
 * deploy must not apply a plan nobody saw.
 * Run from actions/github-script; tested in __tests__/delivery/workflow-scripts.test.ts with a fake client.
 */

/**
 * @param {{ github: any, owner: string, repo: string, sha: string, workflowFile: string }} args
 * @returns {Promise<number>} the workflow run id holding the plan-<env> artifacts
 */
async function findReviewedPlanRun({ github, owner, repo, sha, workflowFile }) {
  const { data: pulls } = await github.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
  const merged = pulls.find((/** @type {any} */ pr) => pr.merged_at && pr.merge_commit_sha === sha);
  if (!merged) {
    throw new Error(`No merged pull request produced ${sha}: there is no reviewed plan to compare with. Deploy changes through a pull request.`);
  }
  const { data } = await github.rest.actions.listWorkflowRuns({
    owner,
    repo,
    workflow_id: workflowFile,
    event: "pull_request",
    head_sha: merged.head.sha,
    status: "success",
    per_page: 1,
  });
  const run = data.workflow_runs[0];
  if (!run) {
    throw new Error(`Pull request #${merged.number} has no successful ${workflowFile} run for ${merged.head.sha}: its plans were not reviewed.`);
  }
  return run.id;
}

module.exports = { findReviewedPlanRun };
