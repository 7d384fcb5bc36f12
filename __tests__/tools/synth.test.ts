import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { synthesize } from "../../tools/synth";

function run(configs: readonly unknown[]) {
  const outdir = join(mkdtempSync(join(tmpdir(), "dp-synth-cli-")), "out");
  const lines: string[] = [];
  const errors: string[] = [];
  const code = synthesize(configs, outdir, { write: (l) => lines.push(l), error: (e) => errors.push(e) });
  return { code, lines, errors: errors.join(""), outdir };
}

describe("npm run synth", () => {
  it("prints one line per environment with its stack, resource count and state location", () => {
    const { code, lines, outdir } = run(ENVIRONMENT_CONFIGS);
    expect(code).toBe(0);
    for (const env of ENVIRONMENT_CONFIGS) {
      const line = lines.find((l) => l.startsWith(`data-platform-${env.name} `));
      expect(line).toMatch(/\d+ resources/);
      expect(line).toContain(`s3://${env.state.bucket}/${env.state.key}`);
    }
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(
      ENVIRONMENT_CONFIGS.flatMap((e) => [`data-platform-${e.name}`, `data-platform-${e.name}-bootstrap`]).sort(),
    );
  });

  it("exits non-zero, names the field and writes no stack when prod's account id has 11 digits", () => {
    const [dev, stage, prod] = ENVIRONMENT_CONFIGS;
    const broken = { ...prod, account: { ...prod.account, id: "77778888999" } };
    const { code, errors, outdir } = run([dev, stage, broken]);
    expect(code).toBe(2);
    expect(errors).toContain("prod.account.id");
    expect(errors).toContain('"77778888999"');
    expect(existsSync(outdir)).toBe(false);
  });
});
