import type { Environment } from "../environments";
import { Arns } from "../lib/arn";
import type { Namer } from "../lib/naming";
import { SCOPE_TAG_KEYS, platformTags } from "../lib/tags";
import { ARTIFACT_PREFIXES } from "../modules/lake";
import type { CiIdentityProps } from "../modules/ci-identity";
import { lakeBucketNames, warehouseNamespaceName, warehouseSecretNames } from "./core-names";
import { pipelineStateKeyPattern } from "./providers";

export type CiScopeProps = Pick<CiIdentityProps, "scopeTags" | "managedObjectArns" | "terraformSecretArns" | "permissionsBoundaryName" | "stateObjectKeys">;

/**
 * What the CI roles of an environment are scoped to, from the environment and the naming rules.
 * Bootstrap creates the roles before the platform stack exists, so it cannot take references from
 * it; the tests compare each list with what the synthesized platform stack actually needs.
 */
export function ciScopeProps(env: Environment, namer: Namer): CiScopeProps {
  const arns = new Arns(env.account.id, env.account.region);
  const buckets = lakeBucketNames(namer);
  const tags = platformTags({ environment: env.name, owner: env.tags.owner, costCenter: env.tags.costCenter });
  const secretArn = (name: string) => arns.secret(name);
  return {
    scopeTags: Object.fromEntries(SCOPE_TAG_KEYS.map((key) => [key, tags[key]])),
    // Uploaded by Terraform (shipped code, contracts, reference data) and read back on refresh.
    managedObjectArns: [
      ...[ARTIFACT_PREFIXES.scripts, ARTIFACT_PREFIXES.libraries, ARTIFACT_PREFIXES.contracts].map((prefix) => arns.s3Objects(buckets.artifacts, prefix)),
      arns.s3Objects(buckets.reference),
    ],
    // Terraform manages no secret version (the pepper's initializer and the users' rotations write
    // them); it reads secrets only where AWS authorizes a call with the caller's access to one.
    terraformSecretArns: [
      // The schema statements run as the Redshift-managed admin (`redshift!<namespace>-<user>`).
      `arn:aws:secretsmanager:${env.account.region}:${env.account.id}:secret:redshift!${warehouseNamespaceName(namer)}-*`,
      // QuickSight checks the caller's access to the data source's secret when it creates or updates it.
      ...(env.bi.enabled ? [secretArn(warehouseSecretNames(namer).biReader)] : []),
    ],
    permissionsBoundaryName: namer.permissionsBoundaryName(),
    // The core stack's state and every pipeline stack's: a pipeline added later needs no bootstrap change.
    stateObjectKeys: [env.state.key, pipelineStateKeyPattern(env)],
  };
}
