import { TerraformElement } from "cdktf";
import { Construct } from "constructs";

/** An `ephemeral` block: its type and its arguments, snake_case as Terraform reads them. */
export interface EphemeralResourceProps {
  /** Provider type of the ephemeral resource, e.g. `aws_secretsmanager_random_password`. Required. */
  readonly type: string;
  /** Its arguments. @default none */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A Terraform ephemeral resource (Terraform >= 1.10): opened during plan and apply, never written
 * to the plan or the state. cdktf 0.21 predates the block, so this element writes it itself. Its
 * attributes may only flow into write-only arguments (`*_wo`); Terraform refuses any other use,
 * and the STATE-SECRETS rule checks the same in the synthesized JSON.
 */
export class EphemeralResource extends TerraformElement {
  private readonly type: string;
  private readonly config: Readonly<Record<string, string | number | boolean>>;

  constructor(scope: Construct, id: string, props: EphemeralResourceProps) {
    super(scope, id, `ephemeral.${props.type}`);
    this.type = props.type;
    this.config = props.config ?? {};
  }

  /** An interpolation of one of its attributes, for a write-only argument. */
  attribute(name: string): string {
    return `\${ephemeral.${this.type}.${this.friendlyUniqueId}.${name}}`;
  }

  override toTerraform(): Record<string, unknown> {
    return { ephemeral: { [this.type]: { [this.friendlyUniqueId]: { ...this.config } } } };
  }
}
