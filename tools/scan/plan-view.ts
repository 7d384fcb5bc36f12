/**
 * A synthesized stack in the shape of `terraform show -json` plan output: every managed resource
 * with its configuration as `planned_values` and a `create` change.
 *
 * Why: cdktf writes every policy document as a JSON string. checkov's `terraform_json` framework
 * hands that string to its policy-document checks (the cloudsplaining family CKV_AWS_286-290 and
 * CKV_AWS_355, and a few others), which cannot read a string and report UNKNOWN: they never pass or
 * fail. Its `terraform_plan` framework decodes the documents first (`RESOURCE_TYPES_JSONIFY` in
 * checkov/terraform/plan_parser.py), so scanning this view as well gives those checks their input.
 * References stay as `${...}` strings, exactly as they are in the synthesized JSON.
 */

interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

/** Terraform meta-arguments and cdktf's metadata: not part of a resource's values. */
const NOT_VALUES = new Set(["//", "lifecycle", "depends_on", "provider", "count", "for_each", "provisioner", "connection"]);

export function planView(stack: TerraformJson): object {
  const resources = Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, config]) => ({
      address: `${type}.${name}`,
      mode: "managed",
      type,
      name,
      provider_name: `registry.terraform.io/hashicorp/${type.split("_")[0]}`,
      schema_version: 0,
      values: Object.fromEntries(Object.entries(config).filter(([key]) => !NOT_VALUES.has(key))),
    })),
  );
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources } },
    resource_changes: resources.map(({ address, type, name, values }) => ({
      address,
      mode: "managed",
      type,
      name,
      change: { actions: ["create"], before: null, after: values, after_unknown: {} },
    })),
    configuration: { root_module: {} },
  };
}
