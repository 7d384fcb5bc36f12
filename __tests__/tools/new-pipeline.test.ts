import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { validatePipelines } from "../../pipelines/validate";
import { parseArgs } from "../../tools/new-pipeline";
import { constantName, definitionSource, registerInIndex, scaffoldProblems, testSource } from "../../tools/scaffold/pipeline-template";

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

  it("parses its arguments or returns the usage", () => {
    expect(parseArgs(["clicks", "--owner", "web"])).toEqual({ name: "clicks", owner: "web" });
    expect(parseArgs(["clicks"])).toMatch(/usage/);
    expect(parseArgs(["--owner", "web"])).toMatch(/usage/);
  });
});
