import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { validatePipelines } from "../../pipelines/validate";
import { parseCommandLine } from "../../tools/cli-args";
import { NEW_PIPELINE, newPipelineArgs } from "../../tools/new-pipeline";
import { constantName, defaultDescription, definitionSource, registerInIndex, scaffoldProblems, testSource } from "../../tools/scaffold/pipeline-template";

const input = { environmentNames: ENVIRONMENT_CONFIGS.map((e) => e.name) };

describe("npm run new-pipeline", () => {
  it("writes a definition that validation accepts", () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-scaffold-"));
    const file = join(dir, "clickstream-events.ts");
    writeFileSync(file, definitionSource("clickstream_events", "web", join(__dirname, "..", "..", "pipelines", "types")));
    const definition = require(file)[constantName("clickstream_events")];
    expect(definition.name).toBe("clickstream_events");
    expect(definition.owner).toBe("web");
    expect(validatePipelines([definition], input)).toHaveLength(1);
  });

  it("writes a test that imports the definition it checks", () => {
    const source = testSource("clickstream_events", "../../pipelines/clickstream-events");
    expect(source).toContain('import { clickstreamEvents } from "../../pipelines/clickstream-events";');
    expect(source).toMatch(/validatePipelines\(\[clickstreamEvents\]/);
  });

  it("registers the pipeline in the index", () => {
    const index = readFileSync(join(__dirname, "..", "..", "pipelines", "index.ts"), "utf8");
    const updated = registerInIndex(index, "clickstream_events");
    expect(updated).toContain('import { clickstreamEvents } from "./clickstream-events";');
    expect(updated).toMatch(/PIPELINE_DEFINITIONS: readonly PipelineDefinition\[\] = \[[^\]]*clickstreamEvents,\n\];/);
    expect(updated.replace('import { clickstreamEvents } from "./clickstream-events";\n', "").replace("  clickstreamEvents,\n", "")).toBe(index);
  });

  it.each([
    ["ClickStream", "web", /lowercase snake_case/],
    ["user", "web", /reserved word/],
    ["attendees", "web", /already exists/],
    ["x".repeat(41), "web", /at most 40/],
    ["clicks", "Web Team", /--owner "Web Team"/],
  ])("refuses name %s / owner %s", (name, owner, says) => {
    expect(scaffoldProblems(name, owner, ["attendees"]).join("\n")).toMatch(says);
  });

  it("accepts a good name", () => {
    expect(scaffoldProblems("clickstream_events", "web", ["attendees"])).toEqual([]);
  });

  it("parses its arguments, refusing what validation would refuse", () => {
    const parse = (...argv: string[]) => newPipelineArgs(parseCommandLine(NEW_PIPELINE, argv), ["attendees"]);
    expect(parse("clicks", "--owner", "web")).toEqual({ name: "clicks", owner: "web", description: "Clicks" });
    expect(parse("page_view", "--owner", "web", "--description", "Pages viewed on the shop")).toMatchObject({ description: "Pages viewed on the shop" });
    expect(() => parse("clicks")).toThrow("--owner is required");
    expect(() => parse("--owner", "web")).toThrow("missing <name>");
    expect(() => parse("attendees", "--owner", "web")).toThrow(/already exists/);
    expect(() => parse("clicks", "--owner", "web", "--description", "x".repeat(129))).toThrow(/1-128 characters/);
    expect(() => parse("clicks", "--owner", "web", "--team", "x")).toThrow("unknown option --team; valid options: --owner, --description, --help");
  });

  it.each([
    ["clickstream_events", "Clickstream events"],
    ["page_view", "Page view events"],
    ["orders", "Orders"],
    ["sensor_data", "Sensor data"],
  ])("describes %s as a person would: %s", (name, description) => {
    expect(defaultDescription(name)).toBe(description);
    expect(definitionSource(name, "web")).toContain(`description: "${description}",`);
  });
});
