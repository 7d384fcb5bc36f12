import { PIPELINE_DEFINITIONS, resolvePipelineSettings } from "../../pipelines";
import { resourcesOf, synthAll } from "../helpers/synth";

/** BI as the platform stack wires it: real network and warehouse outputs, the environment's switch. */
describe.each(synthAll().map((s) => [s.environment.name, s] as const))("BI in %s", (_name, s) => {
  const quicksight = Object.keys(s.platform.resource ?? {}).filter((type) => type.startsWith("aws_quicksight_"));
  const publishing = PIPELINE_DEFINITIONS.filter((d) => resolvePipelineSettings(d, s.environment).enabled && d.bi?.publish);

  if (!s.environment.bi.enabled) {
    it("synthesizes no QuickSight resource and no QuickSight role", () => {
      expect(quicksight).toEqual([]);
      expect(resourcesOf(s.platform, "aws_iam_role").map(([, r]) => r.name).filter((n) => /quicksight/.test(n))).toEqual([]);
    });
    return;
  }

  const key = (type: string) => resourcesOf(s.platform, type).map(([k]) => k);
  const [[, connection]] = resourcesOf(s.platform, "aws_quicksight_vpc_connection");
  const [[, source]] = resourcesOf(s.platform, "aws_quicksight_data_source");

  it("connects QuickSight to the network's private subnets through the QuickSight security group", () => {
    expect(resourcesOf(s.platform, "aws_quicksight_vpc_connection")).toHaveLength(1);
    const subnets = key("aws_subnet").map((k) => `\${aws_subnet.${k}.id}`);
    expect([...connection.subnet_ids].sort()).toEqual(subnets.sort());
    const [quicksightGroup] = key("aws_security_group").filter((k) => k.includes("quicksight"));
    expect(connection.security_group_ids).toEqual([`\${aws_security_group.${quicksightGroup}.id}`]);
  });

  it("reads the warehouse workgroup's endpoint with SSL, credentials from a secret", () => {
    expect(resourcesOf(s.platform, "aws_quicksight_data_source")).toHaveLength(1);
    const [workgroup] = key("aws_redshiftserverless_workgroup");
    expect(source.parameters.redshift.host).toBe(`\${aws_redshiftserverless_workgroup.${workgroup}.endpoint[0].address}`);
    expect(source.ssl_properties.disable_ssl).toBe(false);
    expect(source.credentials.secret_arn).toMatch(/^\$\{aws_secretsmanager_secret\./);
    expect(JSON.stringify(source)).not.toMatch(/password/i);
  });

  it("keeps the data source in the core and each data set in its pipeline's own stack; the sample over attendees in attendees' stack", () => {
    expect(resourcesOf(s.core, "aws_quicksight_data_source")).toHaveLength(1);
    expect(resourcesOf(s.core, "aws_quicksight_data_set")).toEqual([]);
    for (const stack of s.pipelineStacks) {
      const publishes = publishing.some((d) => d.name === stack.pipeline);
      expect([stack.pipeline, resourcesOf(stack.json, "aws_quicksight_data_set").length]).toEqual([stack.pipeline, publishes ? 1 : 0]);
      const sample = resourcesOf(stack.json, "aws_quicksight_dashboard").length + resourcesOf(stack.json, "aws_quicksight_analysis").length;
      expect([stack.pipeline, sample]).toEqual([stack.pipeline, stack.pipeline === "attendees" ? 2 : 0]);
    }
  });

  it("publishes one Direct Query data set per pipeline that asks for BI, and the sample dashboard", () => {
    const dataSets = resourcesOf(s.platform, "aws_quicksight_data_set").map(([, d]) => d);
    expect(dataSets).toHaveLength(publishing.length);
    expect(dataSets.every((d) => d.import_mode === "DIRECT_QUERY")).toBe(true);
    expect(resourcesOf(s.platform, "aws_quicksight_dashboard")).toHaveLength(1);
    expect(resourcesOf(s.platform, "aws_quicksight_analysis")).toHaveLength(1);
  });
});
