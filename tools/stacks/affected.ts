/**
 * Which stacks a change affects, from two syntheses: the base's (the commit a pull request targets,
 * or the previous main) and the head's. A stack is affected when its synthesized folder (its JSON
 * and its assets) differs, byte for byte. Pure function of the two folders: no AWS, no Terraform.
 *
 * The rules (docs/delivery.md):
 * - a changed core plans the core and then every pipeline stack of its environment: they read the
 *   core's names and ids, and their plans show what the core's change means for them;
 * - a changed (or new) pipeline stack plans that stack only;
 * - a pipeline stack the head no longer has (the pipeline removed, or disabled in the environment)
 *   is planned for destruction from the base's folder, so its destroy is reviewed like any change;
 * - bootstrap stacks are applied by an administrator, never by CI: a change is reported, not planned.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type StackKind, type SynthesizedStack, synthesizedStacks } from "./synthesized";

/** Why a stack is planned. */
export type PlanReason = "changed" | "added" | "core-changed" | "removed" | "no-base";

/** One stack to plan (and, on main, to apply). */
export interface PlannedStack {
  readonly env: string;
  readonly stack: string;
  readonly kind: Exclude<StackKind, "bootstrap">;
  readonly reason: PlanReason;
  /** Plan its destruction (`terraform plan -destroy`) from the base's folder. */
  readonly destroy: boolean;
  /** The folder to run Terraform in, relative to the folder the two syntheses are in. */
  readonly dir: string;
}

export interface AffectedStacks {
  /** In apply order: per environment its core first, then its pipeline stacks, removals last. */
  readonly plans: readonly PlannedStack[];
  /** Bootstrap stacks that changed: an administrator applies them (README, "Bootstrap"). */
  readonly bootstrapChanged: readonly string[];
}

/** Every file of a folder, by relative path, as a SHA-256. */
export function folderDigest(dir: string): Readonly<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at).sort()) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(dir);
  return files;
}

const sameFolder = (a: SynthesizedStack, b: SynthesizedStack): boolean => JSON.stringify(folderDigest(a.dir)) === JSON.stringify(folderDigest(b.dir));

/**
 * The stacks to plan for `environments`, comparing `head` (a synthesis folder) with `base` (the
 * base's, or undefined when there is none: then everything is planned). `root` is what the
 * returned `dir`s are relative to (the workflow's working directory).
 */
export function affectedStacks(head: string, base: string | undefined, environments: readonly string[], root = "."): AffectedStacks {
  const headStacks = synthesizedStacks(head, environments);
  const baseStacks = base && existsSync(join(base, "manifest.json")) ? synthesizedStacks(base, environments) : undefined;
  const inBase = (name: string) => baseStacks?.find((s) => s.name === name);
  const entry = (stack: SynthesizedStack, reason: PlanReason, destroy = false): PlannedStack => ({
    env: stack.environment,
    stack: stack.name,
    kind: stack.kind as PlannedStack["kind"],
    reason,
    destroy,
    dir: relative(root, stack.dir),
  });
  const plans: PlannedStack[] = [];
  const bootstrapChanged: string[] = [];
  for (const env of environments) {
    const mine = headStacks.filter((s) => s.environment === env);
    const core = mine.find((s) => s.kind === "core")!;
    const bootstrap = mine.find((s) => s.kind === "bootstrap")!;
    const baseBootstrap = inBase(bootstrap.name);
    if (baseStacks && (!baseBootstrap || !sameFolder(bootstrap, baseBootstrap))) bootstrapChanged.push(bootstrap.name);
    const baseCore = inBase(core.name);
    const coreReason: PlanReason | undefined = !baseStacks ? "no-base" : !baseCore ? "added" : sameFolder(core, baseCore) ? undefined : "changed";
    if (coreReason) plans.push(entry(core, coreReason));
    for (const pipeline of mine.filter((s) => s.kind === "pipeline")) {
      const before = inBase(pipeline.name);
      const reason: PlanReason | undefined = !baseStacks ? "no-base" : coreReason ? (before && sameFolder(pipeline, before) ? "core-changed" : before ? "changed" : "added") : !before ? "added" : sameFolder(pipeline, before) ? undefined : "changed";
      if (reason) plans.push(entry(pipeline, reason));
    }
    for (const gone of (baseStacks ?? []).filter((s) => s.environment === env && s.kind === "pipeline" && !mine.some((m) => m.name === s.name))) {
      plans.push(entry(gone, "removed", true));
    }
  }
  return { plans, bootstrapChanged };
}

/** Why, in a reviewer's words. */
export const REASON_TEXT: Readonly<Record<PlanReason, string>> = {
  changed: "its configuration changed",
  added: "new stack",
  "core-changed": "its core changed",
  removed: "the pipeline is gone from the environment: destroy",
  "no-base": "no base synthesis to compare with",
};
