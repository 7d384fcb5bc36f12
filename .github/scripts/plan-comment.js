// @ts-check
/**
 * One PR comment per environment, found by its hidden marker and updated in place, so a PR shows
 * the latest plan of each environment instead of a growing pile of comments.
 * Run from actions/github-script; tested in __tests__/delivery/plan-comment.test.ts with a fake client.
 */

/** @param {string} env */
const markerFor = (env) => `<!-- plan-summary:${env} -->`;

/**
 * @param {{ github: any, owner: string, repo: string, issueNumber: number, env: string, body: string }} args
 * @returns {Promise<"created" | "updated">}
 */
async function upsertPlanComment({ github, owner, repo, issueNumber, env, body }) {
  const marker = markerFor(env);
  if (!body.startsWith(marker)) throw new Error(`plan comment body for ${env} must start with ${marker}`);
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  // Only our own bot's comments: a human quoting the marker must not get their comment overwritten.
  const existing = comments.find(
    (/** @type {any} */ c) => c.user?.type === "Bot" && typeof c.body === "string" && c.body.startsWith(marker),
  );
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return "created";
}

module.exports = { upsertPlanComment, markerFor };
