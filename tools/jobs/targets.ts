import type { Environment } from "../../environments";
import { Arns } from "../../lib/arn";
import { Namer } from "../../lib/naming";
import { catchUpInput, pipelineCatalogNames } from "../../modules/catalog-automation";
import { type CompiledPipeline, resolvePipelineSettings } from "../../pipelines";
import type { JobTargets } from "./run";

/** The streaming jobs and catalog workflows of `env`, named as the stack names them. */
export function jobTargets(env: Environment, pipelines: readonly CompiledPipeline[], only?: string): JobTargets {
  const namer = new Namer(env.name, env.account.id, env.account.region);
  const arns = new Arns(env.account.id, env.account.region);
  const deployed = pipelines.filter((p) => resolvePipelineSettings(p.definition, env).enabled && (only === undefined || p.name === only));
  return {
    environment: env.name,
    mode: env.streaming.jobs,
    jobs: deployed.map((p) => ({ pipeline: p.name, jobName: namer.name("glueJob", p.name, "streaming") })),
    catchUps: deployed.map((p) => ({ pipeline: p.name, stateMachineArn: arns.stateMachine(pipelineCatalogNames(namer, p.name).stateMachine), input: catchUpInput(p.name) })),
  };
}
