import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { Environment } from "./environments";
import { ConfigValidationError } from "./lib/validation";
import type { CompiledPipeline } from "./pipelines";
import { BootstrapStack } from "./stacks/bootstrap-stack";
import { PipelineStack } from "./stacks/pipeline-stack";
import { PlatformStack } from "./stacks/platform-stack";
import { bootstrapStackName, pipelineStackName, platformStackName } from "./stacks/providers";
import { resolvePipelineSettings } from "./pipelines";
import { loadConfiguration } from "./stacks/validate";

export interface BuildOptions {
  /** Where `cdk.tf.json` files go. @default "cdktf.out" */
  readonly outdir?: string;
  /** Validated environments; give them with `pipelines`. @default every environment in `environments/` */
  readonly environments?: readonly Environment[];
  /** Compiled pipelines; give them with `environments`. @default every pipeline in `pipelines/` */
  readonly pipelines?: readonly CompiledPipeline[];
  /** Construct context (e.g. another `glue-jobs/` directory, `GLUE_JOBS_DIR_CONTEXT`). @default none */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * The whole program: per environment, a bootstrap stack (state bucket, CI roles), the core stack,
 * and one stack per pipeline enabled there, each applied after the core (docs/stacks.md).
 */
export function buildApp(options: BuildOptions = {}): App {
  // Validate everything before the first construct exists: bad input never half-synthesizes.
  const { environments, pipelines } = options.environments && options.pipelines ? { environments: options.environments, pipelines: options.pipelines } : loadConfiguration();
  const app = new App({ outdir: options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out", skipValidation: false, ...(options.context ? { context: { ...options.context } } : {}) });
  for (const environment of environments) {
    new BootstrapStack(app, bootstrapStackName(environment), environment);
    const core = new PlatformStack(app, platformStackName(environment), { environment });
    for (const pipeline of pipelines.filter((p) => resolvePipelineSettings(p.definition, environment).enabled)) {
      new PipelineStack(app, pipelineStackName(environment, pipeline.name), { environment, pipeline }).addDependency(core);
    }
  }
  return app;
}

/**
 * The cdktf CLI sets this when it runs the app (`cdktf synth|diff|deploy`). It prints what the app
 * writes to stderr twice when the app exits non-zero (live, then again under "Command output on
 * stderr"), but once when the app exits 0 without a manifest, which the CLI then fails on by itself.
 */
const UNDER_CDKTF_CLI = "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS";

/** Written into the output directory by a synthesis that failed validation; removed by the next good one. */
export const FAILED_SYNTHESIS_MARKER = "SYNTHESIS-FAILED.txt";

/** The report printed for invalid configuration, the same for `npm run synth` and `cdktf synth|diff|deploy`. */
export function invalidConfigurationReport(error: ConfigValidationError, retired: boolean): string {
  const stale = retired ? `; the stacks an earlier synthesis left were removed (see ${FAILED_SYNTHESIS_MARKER})` : "";
  const cli = process.env[UNDER_CDKTF_CLI] ? "\ncdktf reports next that the app did not call synth(): it stopped here on purpose." : "";
  return `${error.message}\n\nNothing was synthesized${stale}.${cli}\n`;
}

/**
 * After a failed validation, nothing an earlier synthesis left may look current: the manifest and
 * every stack's `cdk.tf.json` go (so `cdktf deploy --skip-synth` and `terraform plan` in a stack
 * folder find nothing), everything else stays (a bootstrap stack's local state lives there), and
 * a marker says why. Returns false when there was no output directory.
 */
export function retireStaleOutput(outdir: string, report: string): boolean {
  if (!existsSync(outdir)) return false;
  rmSync(join(outdir, "manifest.json"), { force: true });
  const stacks = join(outdir, "stacks");
  if (existsSync(stacks)) for (const stack of readdirSync(stacks)) rmSync(join(stacks, stack, "cdk.tf.json"), { force: true });
  writeFileSync(join(outdir, FAILED_SYNTHESIS_MARKER), `${report}\n`);
  return true;
}

/** Retires the output an earlier synthesis left in `outdir` and returns the report to print. */
export function reportInvalidConfiguration(error: ConfigValidationError, outdir: string): string {
  return invalidConfigurationReport(error, retireStaleOutput(outdir, error.message));
}

/** Synthesizes into `outdir`; on invalid configuration writes the report and returns false, having synthesized nothing. */
export function synthesizeApp(outdir: string, report: (text: string) => void, options: Omit<BuildOptions, "outdir"> = {}): boolean {
  let app: App;
  try {
    app = buildApp({ ...options, outdir });
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    report(reportInvalidConfiguration(error, outdir));
    return false;
  }
  app.synth();
  rmSync(join(outdir, FAILED_SYNTHESIS_MARKER), { force: true });
  return true;
}


if (require.main === module) {
  const synthesized = synthesizeApp(process.env.CDKTF_OUTDIR ?? "cdktf.out", (text) => process.stderr.write(text));
  // 2: bad input, as every tool of this repository reports it (tools/cli-args.ts).
  process.exitCode = synthesized || process.env[UNDER_CDKTF_CLI] ? 0 : 2;
}
