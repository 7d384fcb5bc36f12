/**
 * The TypeScript loader every CLI runs through (`node -r ./tools/register.js`). Its compile cache is
 * shared by processes that start together, as jest workers and parallel CLIs do on a fresh clone.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessResult, runNode } from "../helpers/node-process";

jest.setTimeout(30_000);

const REGISTER = join(__dirname, "..", "..", "tools", "register.js");

function runTs(file: string, cacheDir: string, preloads: string[] = []): Promise<ProcessResult> {
  return runNode([...preloads.flatMap((preload) => ["-r", preload]), "-r", REGISTER, file], { env: { DP_REGISTER_CACHE: cacheDir } });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("gave up waiting after 10 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("tools/register.js", () => {
  let workDir: string;
  beforeEach(() => (workDir = mkdtempSync(join(tmpdir(), "dp-register-"))));
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it("never serves another process's half-written cache entry", async () => {
    // The first process writes its cache entry slowly: 40 bytes, a pause, the rest. A second process
    // that starts during the pause must not read the partial entry (it would run a truncated module).
    const slowWriter = join(workDir, "slow-writer.js");
    writeFileSync(
      slowWriter,
      `const fs = require("node:fs");
const writeFileSync = fs.writeFileSync;
fs.writeFileSync = (file, data, ...rest) => {
  if (!String(file).startsWith(process.env.DP_REGISTER_CACHE)) return writeFileSync(file, data, ...rest);
  const text = String(data);
  writeFileSync(file, text.slice(0, 40), ...rest);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
  writeFileSync(file, text.slice(40), { flag: "a" });
};
`,
    );
    const file = join(workDir, "hello.ts");
    writeFileSync(file, 'const greeting: string = ["typed", "and", "whole"].join(" ");\nconsole.log(greeting);\n');
    const cacheDir = join(workDir, "cache");

    const slow = runTs(file, cacheDir, [slowWriter]);
    await until(() => existsSync(cacheDir) && readdirSync(cacheDir).length > 0);
    const meanwhile = await runTs(file, cacheDir);

    expect(meanwhile).toEqual({ code: 0, stdout: "typed and whole\n", stderr: "" });
    expect(await slow).toEqual({ code: 0, stdout: "typed and whole\n", stderr: "" });
    // Only finished entries remain, one for the one source.
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.js$/)]);
  });

  it("serves a warm cache entry without recompiling, and a changed file gets a new entry", async () => {
    const file = join(workDir, "answer.ts");
    const cacheDir = join(workDir, "cache");
    writeFileSync(file, "const answer: number = 41;\nconsole.log(answer);\n");
    expect((await runTs(file, cacheDir)).stdout).toBe("41\n");
    expect((await runTs(file, cacheDir)).stdout).toBe("41\n");
    expect(readdirSync(cacheDir)).toHaveLength(1);

    writeFileSync(file, "const answer: number = 42;\nconsole.log(answer);\n");
    expect((await runTs(file, cacheDir)).stdout).toBe("42\n");
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});
