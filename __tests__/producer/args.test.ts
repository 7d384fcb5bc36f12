import { DEFAULTS, HelpRequested, UsageError, parseArgs } from "../../tools/producer/args";

const choices = { environments: ["dev", "stage", "prod"], pipelines: ["attendees", "session_checkins"] };
const parse = (...args: string[]) => parseArgs(args, choices);
const required = ["--env", "dev", "--pipeline", "attendees"];

describe("parseArgs", () => {
  it("reads every option", () => {
    expect(
      parse(...required, "--rate", "50", "--count", "1000", "--seed", "42", "--endpoint", "http://127.0.0.1:4567/", "--region", "eu-central-1", "--bad-ratio", "0.05", "--max-attempts", "3", "--anchor", "2026-03-07T05:00:00Z", "--dry-run"),
    ).toEqual({
      env: "dev",
      pipeline: "attendees",
      rate: 50,
      count: 1000,
      seed: 42,
      anchor: new Date("2026-03-07T05:00:00Z"),
      endpoint: "http://127.0.0.1:4567",
      region: "eu-central-1",
      dryRun: true,
      badRatio: 0.05,
      maxAttempts: 3,
    });
  });

  it("has defaults for everything but env and pipeline", () => {
    expect(parse(...required)).toMatchObject({ rate: DEFAULTS.rate, count: DEFAULTS.count, seed: undefined, anchor: undefined, endpoint: undefined, dryRun: false, badRatio: 0, maxAttempts: DEFAULTS.maxAttempts });
  });

  it("names the valid environments for an unknown one", () => {
    expect(() => parse("--env", "qa", "--pipeline", "attendees")).toThrow(new UsageError('--env "qa" is not an environment; valid: dev, stage, prod'));
  });

  it("names the valid pipelines for an unknown one", () => {
    expect(() => parse("--env", "dev", "--pipeline", "attendee")).toThrow(new UsageError('--pipeline "attendee" is not a pipeline; valid: attendees, session_checkins'));
  });

  it("says which required option is missing, with its choices", () => {
    expect(() => parse("--pipeline", "attendees")).toThrow("--env is required; valid: dev, stage, prod");
    expect(() => parse("--env", "dev")).toThrow("--pipeline is required; valid: attendees, session_checkins");
  });

  it.each([
    [["--rate", "0"], '--rate "0" is not valid: must be a number of records per second greater than 0'],
    [["--rate", "fast"], '--rate "fast" is not valid'],
    [["--count", "1.5"], '--count "1.5" is not valid: must be a whole number >= 0'],
    [["--seed", "-1"], '--seed "-1" is not valid: must be a whole number from 0 to 4294967295'],
    [["--bad-ratio", "5"], '--bad-ratio "5" is not valid: must be a fraction from 0 to 1, e.g. 0.05'],
    [["--max-attempts", "0"], '--max-attempts "0" is not valid: must be a whole number from 1 to 20'],
    [["--endpoint", "localhost:4567"], "--endpoint \"localhost:4567\" is not valid: must be http(s)://host[:port] with no path or query"],
    [["--endpoint", "http://127.0.0.1:4567/streams"], "with no path or query"],
    [["--region", "mars-1"], '--region "mars-1" is not an AWS region; valid: us-east-1'],
    [["--anchor", "yesterday"], '--anchor "yesterday" is not valid'],
    [["--anchor", "2026-03-07T05:00:00"], "timestamp with Z or an offset"],
    [["--rate"], "--rate needs a value"],
    [["--count", "--dry-run"], "--count needs a value"],
    [["--speed", "3"], "unknown option --speed; valid options: --env, --pipeline, --rate, --count, --seed, --anchor, --bad-ratio, --endpoint, --region, --max-attempts, --dry-run, --help"],
    [["dev"], 'unexpected argument "dev": every value follows its option'],
  ])("rejects %j: %s", (extra, message) => {
    expect(() => parse(...required, ...extra)).toThrow(UsageError);
    expect(() => parse(...required, ...extra)).toThrow(message);
  });

  it("stops at --help", () => {
    expect(() => parse("--help")).toThrow(HelpRequested);
  });
});
