/**
 * The README's claims about setting up hold: the Node.js version it names is one every installed
 * package accepts (bar the exceptions it names, each still needed), package.json says the same, and
 * the Quick start installs once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

// semver ships no types; these are the two functions used.
const semver: { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null } = require("semver");

const ROOT = join(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("\n## ", readme.indexOf("## Quick start")));
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; engines?: { node?: string } }> };
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };

const claimed = /Node\.js (\d+\.\d+) or later/.exec(quickStart)?.[1];
const minimum = `${claimed}.0`;
/** Packages the README names as declaring a newer Node.js than it claims: `name@version`. */
const exceptions = [...quickStart.matchAll(/`([@\w/.-]+)@(\d+\.\d+\.\d+)` declares Node\.js/g)].map((m) => `${m[1]}@${m[2]}`);
const installed = Object.entries(lock.packages)
  .filter(([path, p]) => path.startsWith("node_modules/") && p.engines?.node)
  .map(([path, p]) => ({ id: `${path.replace(/^.*node_modules\//, "")}@${p.version}`, range: p.engines!.node! }));

describe("the README's Node.js version", () => {
  it("is stated, and package.json's engines say the same", () => {
    expect(claimed).toMatch(/^\d+\.\d+$/);
    expect(semver.minVersion(packageJson.engines.node)?.version).toBe(minimum);
  });

  it("is accepted by every installed package but the exceptions it names", () => {
    const refusing = installed.filter((p) => !semver.satisfies(minimum, p.range)).map((p) => p.id);
    expect([...new Set(refusing)].sort()).toEqual([...exceptions].sort());
  });

  it("is no lower than a package needs: one of them asks for exactly it", () => {
    const needs = installed.filter((p) => !exceptions.includes(p.id)).map((p) => semver.minVersion(p.range)?.version);
    expect(needs).toContain(minimum);
  });

  it("is what this run uses, or newer", () => {
    expect(semver.satisfies(process.version, packageJson.engines.node)).toBe(true);
  });
});

describe("the Quick start", () => {
  it("installs once, then synthesizes and tests", () => {
    const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")).map((line) => line.replace(/#.*$/, "").trim()).filter(Boolean);
    expect(commands).toEqual(["npm ci && npm run synth", "npm test"]);
    expect(commands.join(" ").match(/npm ci/g)).toHaveLength(1);
  });
});
