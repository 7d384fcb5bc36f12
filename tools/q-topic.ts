/**
 * `node -r ./tools/register.js tools/q-topic.ts [--env <name>]`: prints, per environment with BI
 * on, the `aws quicksight create-topic --cli-input-json` body of the QuickSight Q topic over the
 * published data sets (see docs/bi.md).
 */
import type { Environment } from "../environments";
import { Namer } from "../lib/naming";
import { dataSetModel, qTopicRequest } from "../modules/bi";
import { CompiledPipeline, resolvePipelineSettings } from "../pipelines";
import { biDataSetInputs, qTopicId } from "../stacks/bi-wiring";
import { loadConfiguration } from "../stacks/validate";
import { CommandSpec, EXIT, checkEnvironment, cliMain } from "./cli-args";

export const Q_TOPIC: CommandSpec = {
  command: "node -r ./tools/register.js tools/q-topic.ts",
  summary: "Prints, for each environment with BI on (or the one named), the create-topic request of its QuickSight Q topic as JSON.",
  options: [{ flag: "--env", value: "<name>", help: "only this environment (one with bi.enabled)" }],
  exitCodes: {},
};

export function qTopicFor(env: Environment, pipelines: readonly CompiledPipeline[] = loadConfiguration().pipelines) {
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
  cliMain(Q_TOPIC, ({ options }) => {
    const { environments, pipelines } = loadConfiguration();
    const withBi = environments.filter((e) => e.bi.enabled);
    const wanted = options.get("--env");
    const chosen = typeof wanted === "string" ? checkEnvironment(wanted, { names: withBi.map((e) => e.name), which: "environments with bi.enabled" }) : undefined;
    // One environment: exactly the JSON the AWS CLI reads; all: each under a comment line naming it.
    for (const env of withBi.filter((e) => !chosen || e.name === chosen)) process.stdout.write(`${chosen ? "" : `# ${env.name}\n`}${JSON.stringify(qTopicFor(env, pipelines), null, 2)}\n`);
    return EXIT.ok;
  });
}
