/**
 * What the repository's command-line tools share: one way to declare options, print usage, refuse
 * what is not an option, check `--env`, and exit. Exit codes are the same for every tool:
 */
import { ENVIRONMENT_CONFIGS } from "../environments";
import { ConfigValidationError } from "../lib/validation";

/** 0 done; 1 the tool ran and found a failure; 2 bad input (command line or configuration), nothing done. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A bad command line: the tools print the message and their usage, and exit {@link EXIT.usage}. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** `--help`: not an error, but parsing stops there. */
export class HelpRequested extends Error {
  override readonly name = "HelpRequested";
}

export interface OptionSpec {
  /** `--env`. */
  readonly flag: string;
  /** The value's placeholder (`<name>`); a flag without one takes no value. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  /** How it is run: `npm run synth --`. */
  readonly command: string;
  /** Positional arguments as usage shows them (`<plan.json>`), all required, in order. */
  readonly positionals?: readonly string[];
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** What each exit code means for this tool (0 and 2 are the same everywhere). */
  readonly exitCodes: Readonly<Record<number, string>>;
}

const HELP: OptionSpec = { flag: "--help", help: "print this text and exit 0" };

/** The usage text: synopsis, options, exit codes. */
export function usage(spec: CommandSpec): string {
  const options = [...spec.options, HELP];
  const synopsis = [spec.command, ...(spec.positionals ?? []), ...spec.options.map((o) => `[${o.flag}${o.value ? ` ${o.value}` : ""}]`)].join(" ");
  const width = Math.max(...options.map((o) => `${o.flag}${o.value ? ` ${o.value}` : ""}`.length));
  const lines = options.map((o) => `  ${`${o.flag}${o.value ? ` ${o.value}` : ""}`.padEnd(width)}  ${o.help}`);
  const codes = Object.entries({ [EXIT.ok]: "done", [EXIT.usage]: "bad input (command line or configuration); nothing was done", ...spec.exitCodes })
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, meaning]) => `  ${code}  ${meaning}`);
  return `usage: ${synopsis}\n\n${spec.summary}\n\noptions:\n${lines.join("\n")}\n\nexit codes:\n${codes.join("\n")}\n`;
}

export interface ParsedCommandLine {
  /** Values by flag; `true` for a flag without a value. */
  readonly options: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** Parses `argv` against `spec`: unknown options, missing values and stray arguments are {@link UsageError}s. */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  const valid = [...spec.options.map((o) => o.flag), HELP.flag];
  // Whoever asks for help gets it, whatever else is on the line.
  if (argv.some((arg) => arg === "--help" || arg === "-h")) throw new HelpRequested(usage(spec));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const option = spec.options.find((o) => o.flag === arg);
    if (!option) throw new UsageError(`unknown option ${arg}; valid options: ${valid.join(", ")}`);
    if (options.has(arg)) throw new UsageError(`${arg} is given twice`);
    options.set(arg, option.value ? valueOf(argv, i++, arg) : true);
  }
  const expected = spec.positionals ?? [];
  if (positionals.length > expected.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[expected.length])}${expected.length ? `; takes ${expected.join(" ")}` : "; takes options only"}`);
  if (positionals.length < expected.length) throw new UsageError(`missing ${expected.slice(positionals.length).join(" ")}`);
  return { options, positionals };
}

/** The value after `flag` at `index`; a missing value or another option in its place is an error. */
export function valueOf(args: readonly string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
  return value;
}

/** The names of the defined environments (`environments/index.ts`), in promotion order. */
export const environmentNames = (): string[] => ENVIRONMENT_CONFIGS.map((e) => e.name);

/** `--env`'s value, checked against the defined environments (or `among`, a subset with a reason). */
export function checkEnvironment(value: string, among: { readonly names: readonly string[]; readonly which: string } = { names: environmentNames(), which: "defined environments" }): string {
  if (!among.names.includes(value)) throw new UsageError(`--env ${JSON.stringify(value)} is not one of the ${among.which}: ${among.names.join(", ") || "(none)"}`);
  return value;
}

/**
 * Runs a tool's `main` with its command line parsed: `--help` prints usage to stdout and exits 0;
 * a {@link UsageError} prints the message and usage to stderr and exits 2, invalid configuration
 * its report. Other errors propagate.
 */
export async function runCli(spec: CommandSpec, argv: readonly string[], main: (args: ParsedCommandLine) => number | Promise<number>): Promise<number> {
  const name = spec.command.replace(/^npm run /, "").replace(/ --$/, "");
  try {
    return await main(parseCommandLine(spec, argv));
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(error.message);
      return EXIT.ok;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\n\n${usage(spec)}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

/** `runCli` as a script's entry point: sets the exit code when `main` is done. */
export function cliMain(spec: CommandSpec, main: (args: ParsedCommandLine) => number | Promise<number>): void {
  runCli(spec, process.argv.slice(2), main).then((code) => {
    process.exitCode = code;
  });
}
