import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../environments";
import { NAME_PREFIX, Namer } from "../lib/naming";
import { CiIdentity } from "../modules/ci-identity";
import { PlatformKey, SecureBucket } from "../modules/lake";
import { ciScopeProps } from "./ci-scope";
import { addAwsProvider, addBootstrapBackend } from "./providers";

/**
 * Creates what the platform stack's backend needs before it can exist: the state bucket (and the
 * bucket that receives its access logs), encrypted with a key of their own; and the identities that
 * deploy it: the CI roles and the permissions boundary of every role the platform creates. Applied
 * by an administrator, never by CI: the apply role may not change what this stack creates.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: SecureBucket;
  readonly stateKey: PlatformKey;
  /** The roles GitHub Actions assumes to plan and to apply this environment. */
  readonly ciIdentity: CiIdentity;

  constructor(scope: Construct, id: string, env: Environment) {
    super(scope, id);
    addAwsProvider(this, env);
    addBootstrapBackend(this, env);
    const namer = new Namer(env.name, env.account.id, env.account.region);
    const common = {
      accountId: env.account.id,
      region: env.account.region,
      noncurrentVersionDays: 90,
      // State is never disposable, not even in dev: losing it orphans every resource.
      forceDestroy: false,
      preventDestroy: true,
    };
    this.stateKey = new PlatformKey(this, "state-key", {
      aliasName: namer.name("kmsAlias", "terraform-state"),
      accountId: env.account.id,
      region: env.account.region,
      deletionWindowDays: 30,
      preventDestroy: true,
    });
    const logBucketName = namer.bucket("state-access-logs");
    const stateAccessLogs = new SecureBucket(this, "state-access-logs", {
      ...common,
      bucketName: logBucketName,
      kmsKeyArn: this.stateKey.keyArn,
      receivesAccessLogs: true,
      expireAfterDays: 365,
    });
    this.stateBucket = new SecureBucket(this, "state", {
      ...common,
      bucketName: env.state.bucket,
      kmsKeyArn: this.stateKey.keyArn,
      accessLogBucket: stateAccessLogs,
    });
    this.ciIdentity = new CiIdentity(this, "ci-identity", {
      ...ciScopeProps(env, namer),
      repository: env.ci.repository,
      environment: env.name,
      accountId: env.account.id,
      region: env.account.region,
      createOidcProvider: env.ci.createOidcProvider,
      stateBucketArn: this.stateBucket.bucketArn,
      stateKeyArn: this.stateKey.keyArn,
      stateRegion: env.state.region,
      namePrefix: NAME_PREFIX,
      // Named under the environment's prefix, so the apply role's own scoping would reach them.
      bootstrapArns: [stateAccessLogs.bucketArn, this.stateKey.aliasArn],
    });
  }
}
