/** validatePipelines on its own (the cases of bad input are in __tests__/config/bad-inputs.test.ts). */
import { ENVIRONMENT_CONFIGS } from "../../environments";
import { ConfigValidationError } from "../../lib/validation";
import { attendees } from "../../pipelines/attendees";
import { sessionCheckins } from "../../pipelines/session-checkins";
import { validatePipelines } from "../../pipelines/validate";

const input = { environmentNames: ENVIRONMENT_CONFIGS.map((e) => e.name) };

describe("validatePipelines", () => {
  it("accepts the sample pipelines", () => {
    expect(validatePipelines([attendees, sessionCheckins], input).map((p) => p.name)).toEqual(["attendees", "session_checkins"]);
  });

  it("runs every rule whose fields passed the schema, beside the schema's own problems", () => {
    const broken = structuredClone(attendees) as any;
    broken.schema.fields[4].type = "varchar";
    broken.schema.eventTime = "ticket_type";
    let error: unknown;
    try {
      validatePipelines([broken], input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems.map((p) => p.path)).toEqual(["pipelines.attendees.schema.fields[4].type", "pipelines.attendees.schema.eventTime"]);
  });
});
