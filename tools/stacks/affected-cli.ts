/**
 * `npm run affected-stacks -- --head cdktf.out [--base base/cdktf.out] [--env <name>] [--kind core|pipeline] [--format json|text]`:
 * the stacks a change affects (tools/stacks/affected.ts), for the workflows' plan and apply
 * matrices (JSON: a list of `{env, stack, kind, reason, destroy, dir}`) or for a person (text).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CommandSpec, EXIT, UsageError, checkEnvironment, cliMain, environmentNames } from "../cli-args";
import { REASON_TEXT, affectedStacks } from "./affected";
import { SynthesizedLayoutError } from "./synthesized";

export const AFFECTED_STACKS: CommandSpec = {
  command: "npm run affected-stacks --",
  summary:
    "Lists the stacks a change affects, comparing the head's synthesis with the base's, byte for byte: a changed core\nplans the core and every pipeline stack of its environment, a changed or new pipeline stack plans itself, a pipeline\nstack the head no longer has is planned for destruction from the base's folder. Core stacks come first.",
  options: [
    { flag: "--head", value: "<dir>", help: "the synthesis of the change (default cdktf.out)" },
    { flag: "--base", value: "<dir>", help: "the synthesis of the base; absent or without a manifest: every stack is planned" },
    { flag: "--env", value: "<name>", help: "only this environment (default: every defined environment)" },
    { flag: "--kind", value: "core|pipeline", help: "only core stacks, or only pipeline stacks (default: both)" },
    { flag: "--format", value: "json|text", help: "a JSON list for a workflow matrix (default), or text for a person" },
  ],
  exitCodes: { [EXIT.failed]: "a synthesis folder is missing its manifest or a stack" },
};

if (require.main === module) {
  cliMain(AFFECTED_STACKS, ({ options }) => {
    const head = String(options.get("--head") ?? "cdktf.out");
    const base = options.get("--base");
    const env = options.get("--env");
    const kind = options.get("--kind");
    const format = options.get("--format") ?? "json";
    if (kind !== undefined && kind !== "core" && kind !== "pipeline") throw new UsageError(`--kind must be core or pipeline, not ${String(kind)}`);
    if (format !== "json" && format !== "text") throw new UsageError(`--format must be json or text, not ${String(format)}`);
    // Usage first: a wrong --env is a usage error whether or not anything was synthesized.
    const environments = typeof env === "string" ? [checkEnvironment(env)] : environmentNames();
    if (!existsSync(join(head, "manifest.json"))) {
      process.stderr.write(`affected-stacks: ${join(head, "manifest.json")} does not exist: synthesize first (npm run synth)\n`);
      return EXIT.failed;
    }
    let result;
    try {
      result = affectedStacks(head, typeof base === "string" ? base : undefined, environments);
    } catch (error) {
      if (!(error instanceof SynthesizedLayoutError)) throw error;
      process.stderr.write(`affected-stacks: ${error.message}\n`);
      return EXIT.failed;
    }
    const plans = result.plans.filter((p) => kind === undefined || p.kind === kind);
    if (format === "json") process.stdout.write(`${JSON.stringify(plans)}\n`);
    else {
      for (const p of plans) process.stdout.write(`${p.stack.padEnd(48)} ${p.destroy ? "destroy" : "plan"}: ${REASON_TEXT[p.reason]}\n`);
      if (plans.length === 0) process.stdout.write("no stack is affected\n");
    }
    for (const name of result.bootstrapChanged) process.stderr.write(`affected-stacks: ${name} changed: an administrator applies it (README, "Bootstrap")\n`);
    return EXIT.ok;
  });
}
