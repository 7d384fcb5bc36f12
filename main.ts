import { App } from "cdktf";
import { Environment, loadEnvironments } from "./environments";
import { CompiledPipeline, loadPipelines } from "./pipelines";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { PlatformStack } from "./stacks/platform-stack";
import { bootstrapStackName, platformStackName } from "./stacks/providers";

export interface BuildOptions {
  /** Where `cdk.tf.json` files go. @default "cdktf.out" */
  readonly outdir?: string;
  /** Validated environments. @default every environment in `environments/` */
  readonly environments?: readonly Environment[];
  /** Compiled pipelines. @default every pipeline in `pipelines/`, validated */
  readonly pipelines?: readonly CompiledPipeline[];
}

/** The whole program: per environment, a bootstrap stack (state bucket) and the platform stack. */
export function buildApp(options: BuildOptions = {}): App {
  const environments = options.environments ?? loadEnvironments();
  // Validate everything before the first construct exists: bad input never half-synthesizes.
  const pipelines = options.pipelines ?? loadPipelines(environments.map((e) => e.name));
  const app = new App({ outdir: options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out", skipValidation: false });
  for (const environment of environments) {
    new BootstrapStack(app, bootstrapStackName(environment), environment);
    new PlatformStack(app, platformStackName(environment), { environment, pipelines });
  }
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
