/**
 * Prints, per environment with BI on, the `aws quicksight create-topic --cli-input-json` body of
 * the QuickSight Q topic over the published data sets (see docs/bi.md). Usage:
 *   node -r ./tools/register.js tools/q-topic.ts [environment]
 */
import { Environment, loadEnvironments } from "../environments";
import { Namer } from "../lib/naming";
import { dataSetModel, qTopicRequest } from "../modules/bi";
import { loadPipelines, resolvePipelineSettings } from "../pipelines";
import { biDataSetInputs, qTopicId } from "../stacks/bi-wiring";

export function qTopicFor(env: Environment, pipelines = loadPipelines(loadEnvironments().map((e) => e.name))) {
  const namer = new Namer(env.name, env.account.id, env.account.region);
  const deployed = pipelines.filter((p) => resolvePipelineSettings(p.definition, env).enabled);
  return qTopicRequest({
    accountId: env.account.id,
    region: env.account.region,
    topicId: qTopicId(namer),
    name: `Data platform (${env.name})`,
    description: "Published data sets of the data platform, Direct Query on Redshift Serverless",
    dataSets: biDataSetInputs(deployed, namer).map(dataSetModel),
  });
}

if (require.main === module) {
  const wanted = process.argv[2];
  const environments = loadEnvironments().filter((e) => e.bi.enabled && (!wanted || e.name === wanted));
  if (wanted && environments.length === 0) {
    console.error(`environment ${JSON.stringify(wanted)} does not exist or has bi.enabled = false; BI environments: ${loadEnvironments().filter((e) => e.bi.enabled).map((e) => e.name).join(", ")}`);
    process.exit(2);
  }
  for (const env of environments) console.log(`# ${env.name}\n${JSON.stringify(qTopicFor(env), null, 2)}`);
}
