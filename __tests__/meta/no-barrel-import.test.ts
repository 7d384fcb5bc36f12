import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const SKIP = new Set(["node_modules", "cdktf.out", ".git", "dist", "coverage"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (SKIP.has(entry)) return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry) ? [path] : [];
  });
}

/** Matches an import or require of the provider package's root, not of its deep paths. */
export const BARREL_IMPORT = /(from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-aws["']/;

describe("provider imports", () => {
  it("never load the @cdktf/provider-aws barrel (2,212 modules, ten times slower)", () => {
    const offenders = sourceFiles(ROOT)
      .filter((file) => !file.endsWith("no-barrel-import.test.ts") && !file.includes(`${join("tools", "bench")}`))
      .filter((file) => BARREL_IMPORT.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it("the pattern catches the forms it must", () => {
    // Assembled, so that this file's own text does not look like a barrel import to a grep.
    const barrel = ["@cdktf", "provider-aws"].join("/");
    expect(BARREL_IMPORT.test(`import { s3Bucket } from "${barrel}";`)).toBe(true);
    expect(BARREL_IMPORT.test(`const aws = require('${barrel}')`)).toBe(true);
    expect(BARREL_IMPORT.test(`import { S3Bucket } from "${barrel}/lib/s3-bucket";`)).toBe(false);
  });
});
