/** `npm run local`'s command line: defaults, and every bad value refused with what would be valid. */
import { DEFAULTS, parseArgs } from "../../tools/local/args";
import { UsageError } from "../../tools/cli-args";

const choices = { pipelines: ["attendees", "session_checkins"], environments: ["dev", "stage", "prod"] };
const parse = (...args: string[]) => parseArgs(args, choices, "/work/here");

describe("npm run local arguments", () => {
  it("takes the issue's options, with defaults for all but the pipeline", () => {
    expect(parse("--pipeline", "attendees")).toEqual({
      pipeline: "attendees", env: "dev", records: DEFAULTS.records, rate: DEFAULTS.rate, badRatio: DEFAULTS.badRatio,
      seed: undefined, anchor: undefined, out: "/work/here/.local-run/attendees",
    });
    expect(parse("--pipeline", "attendees", "--records", "2000", "--rate", "50", "--bad-ratio", "0.05", "--seed", "7", "--out", "out/a", "--anchor", "2026-03-08T00:00:00Z", "--env", "stage"))
      .toEqual({ pipeline: "attendees", env: "stage", records: 2000, rate: 50, badRatio: 0.05, seed: 7, anchor: new Date("2026-03-08T00:00:00Z"), out: "/work/here/out/a" });
    expect(parse("--pipeline", "attendees", "--out", "/abs/dir").out).toBe("/abs/dir");
  });

  it.each([
    [[], /--pipeline is required; valid: attendees, session_checkins/],
    [["--pipeline", "nope"], /--pipeline "nope" is not a pipeline; valid: attendees, session_checkins/],
    [["--pipeline", "attendees", "--records", "0"], /--records "0" is not valid: must be a whole number >= 1/],
    [["--pipeline", "attendees", "--records", "1.5"], /--records "1.5" is not valid/],
    [["--pipeline", "attendees", "--rate", "-1"], /--rate "-1" is not valid: must be a number of records per second greater than 0/],
    [["--pipeline", "attendees", "--bad-ratio", "1.5"], /--bad-ratio "1.5" is not valid: must be a fraction from 0 to 1/],
    [["--pipeline", "attendees", "--seed", "-3"], /--seed "-3" is not valid: must be a whole number from 0 to 4294967295/],
    [["--pipeline", "attendees", "--anchor", "yesterday"], /--anchor "yesterday" is not valid: must be an ISO-8601 date/],
    [["--pipeline", "attendees", "--env", "qa"], /--env "qa" is not one of the defined environments: dev, stage, prod/],
    [["--pipeline", "attendees", "--count", "5"], /unknown option --count; valid options: --pipeline, --records/],
  ])("refuses %j", (args, message) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(message);
  });
});
