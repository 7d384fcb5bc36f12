import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyJson } from "../../lib/iam";
import { platformKeyPolicy } from "./key-policy";
import { PlatformKeyProps } from "./platform-key-props";

/** The customer-managed key that encrypts everything the platform stores, rotated yearly. */
export class PlatformKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: `Data platform key (${props.aliasName})`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policyJson(platformKeyPolicy({ accountId: props.accountId, region: props.region, secretReaders: props.secretReaders })),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const alias = new KmsAlias(this, "alias", { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasArn = alias.arn;
  }
}
