/** Jest runs TypeScript through swc (no type-checking: `npm test` runs `tsc --noEmit` first). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
};
