// A minimal TypeScript loader for the app and the tools: swc strips types (no type-checking:
// `npm test` runs tsc for that), and a content-addressed cache skips even that on unchanged files.
// @swc-node/register does the same but loads the TypeScript compiler to read tsconfig (+0.2 s).
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

// DP_REGISTER_CACHE lets the loader's own tests use a cold cache of their own.
const CACHE_DIR = process.env.DP_REGISTER_CACHE ?? path.join(__dirname, "..", "node_modules", ".cache", "dp-register");
const OPTIONS = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};
let swc;

function compile(source, filename) {
  const key = createHash("sha256").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    swc ??= require("@swc/core");
    const { code } = swc.transformSync(source, { ...OPTIONS, filename });
    try {
      // Write then rename: processes started together (jest workers, `Promise.all` of CLIs) must
      // never read another's half-written entry, and a rename within one directory is atomic.
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const partial = `${cached}.${process.pid}.partial`;
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, cached);
    } catch {
      // A read-only tree still works, only slower.
    }
    return code;
  }
}

require.extensions[".ts"] = (module, filename) => {
  module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};
