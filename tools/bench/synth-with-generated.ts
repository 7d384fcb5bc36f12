/**
 * One measured synthesis of every environment with the sample pipelines and `<count>` scaffolded
 * ones (`npm run new-pipeline`'s definition), as `npm run synth` does it: validation, then every
 * stack into `CDKTF_OUTDIR`. Run by `tools/bench.ts`, once per sample.
 */
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { buildApp } from "../../main";
import { PIPELINE_DEFINITIONS } from "../../pipelines";
import { validateConfiguration } from "../../stacks/validate";
import { generatedPipelines } from "../scaffold/generated-pipelines";

const count = Number(process.argv[2] ?? "0");
if (!Number.isInteger(count) || count < 0) throw new Error(`synth-with-generated: <count> must be a whole number >= 0, not ${process.argv[2]}`);
const configuration = validateConfiguration({ environments: ENVIRONMENT_CONFIGS, pipelines: [...PIPELINE_DEFINITIONS, ...generatedPipelines(count)] });
buildApp({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out", ...configuration }).synth();
