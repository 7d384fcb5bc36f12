/** Runs a node process to completion, as a user's shell would, and collects what it printed. */
import { spawn } from "node:child_process";

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunNodeOptions {
  /** Working directory. @default this process's */
  readonly cwd?: string;
  /** Environment besides `PATH` (nothing else is inherited: no stray AWS credentials). @default {} */
  readonly env?: NodeJS.ProcessEnv;
  /** A hung process is killed after this long, so the test fails instead of timing out. @default 20000 */
  readonly killAfterMs?: number;
}

/** `node <args>`; resolves with its exit code and output however it ends. */
export function runNode(args: readonly string[], options: RunNodeOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}
