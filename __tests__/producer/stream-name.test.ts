/**
 * The producer must write to the stream the platform deploys. Its name comes from the Namer, like
 * every resource name; this checks it against the synthesized Kinesis streams of every environment.
 */
import { resolvePipelineSettings } from "../../pipelines";
import { streamNameFor } from "../../tools/producer/run";
import { synthAll } from "../helpers/synth";
import { environments, pipelines } from "./helpers";

describe("the producer's stream names", () => {
  it("follow dp-<env>-<pipeline>, in kebab case", () => {
    const dev = environments.find((e) => e.name === "dev")!;
    expect(streamNameFor(dev, "session_checkins")).toBe("dp-dev-session-checkins");
  });

  const synthesized = synthAll().map(({ environment, platform }) => {
    const resources = (platform.resource ?? {}) as Record<string, Record<string, { name?: string }>>;
    return { environment, streams: Object.values(resources.aws_kinesis_stream ?? {}).map((s) => s.name) };
  });
  const withStreams = synthesized.filter((s) => s.streams.length > 0);

  // Before the streaming module is part of the stack there is nothing to compare against.
  (withStreams.length > 0 ? it.each(withStreams.map((s) => [s.environment.name, s] as const)) : it.skip.each([["(no aws_kinesis_stream synthesized yet)", synthesized[0]!] as const]))(
    "match a synthesized stream for every enabled pipeline in %s",
    (_name, { environment, streams }) => {
      const enabled = pipelines.filter((p) => resolvePipelineSettings(p.definition, environment).enabled);
      expect([...streams].sort()).toEqual(enabled.map((p) => streamNameFor(environment, p.name)).sort());
    },
  );
});
