import { TerraformStack, Testing } from "cdktf";
import { Environment, loadEnvironments } from "../../environments";
import { Bi } from "../../modules/bi";
import { CompiledPipeline, loadPipelines, resolvePipelineSettings } from "../../pipelines";
import type { TerraformJson } from "../../policies";
import { Namer } from "../../lib/naming";
import { BiWarehouseOutputs, SAMPLE_DASHBOARD, biDataSetInputs, biPropsFrom } from "../../stacks/bi-wiring";
import { addAwsProvider } from "../../stacks/providers";

/** Stand-ins for the network and warehouse outputs (their modules are built on other branches). */
export const STAND_IN = {
  subnetIds: ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
  otherSubnetId: "subnet-0fff9999aaaa8888b",
  securityGroupId: "sg-0123456789abcdef0",
  endpoint: "dp-prod-warehouse.777788889999.eu-west-1.redshift-serverless.amazonaws.com",
  port: 5439,
  database: "dev",
  secretArn: (env: Environment) => `arn:aws:secretsmanager:${env.account.region}:${env.account.id}:secret:dp-${env.name}-bi-reader-AbCdEf`,
  kmsKeyArn: (env: Environment) => `arn:aws:kms:${env.account.region}:${env.account.id}:key/11111111-2222-3333-4444-555555555555`,
  /** The platform outputs BI takes: the key and the bootstrap's permissions boundary. */
  platform: (env: Environment) => ({
    kmsKeyArn: STAND_IN.kmsKeyArn(env),
    permissionsBoundaryArn: `arn:aws:iam::${env.account.id}:policy/dp-${env.name}-permissions-boundary`,
  }),
  /** The warehouse outputs BI reads, with stand-ins for what its resources wait for. */
  warehouse: (env: Environment, overrides: Partial<BiWarehouseOutputs> = {}): BiWarehouseOutputs => ({
    endpointAddress: STAND_IN.endpoint,
    port: STAND_IN.port,
    databaseName: STAND_IN.database,
    biReaderSecretArn: STAND_IN.secretArn(env),
    foundation: { fqn: "aws_redshiftdata_statement.foundation" },
    credentials: { biReader: { fqn: "aws_secretsmanager_secret_rotation.bi_reader" } },
    ...overrides,
  }),
};

export const environments = loadEnvironments();
export const pipelines = loadPipelines(environments.map((e) => e.name));

export function env(name: string): Environment {
  const found = environments.find((e) => e.name === name);
  if (!found) throw new Error(`no environment ${name}`);
  return found;
}

export function deployedIn(environment: Environment, all: readonly CompiledPipeline[] = pipelines) {
  return all.filter((p) => resolvePipelineSettings(p.definition, environment).enabled).map((pipeline) => ({ pipeline }));
}

/**
 * Synthesizes a stack holding all of an environment's BI in one module (the module only when
 * enabled): the core's props with the data sets and sample the pipeline stacks build, so that the
 * module is tested whole; the stacks themselves are tested in bi-in-stacks.test.ts.
 */
export function synthBi(environment: Environment, options: { pipelines?: readonly CompiledPipeline[]; createAccountSubscription?: boolean } = {}): TerraformJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, `bi-${environment.name}`);
  addAwsProvider(stack, environment);
  if (environment.bi.enabled) {
    const props = biPropsFrom(
      environment,
      { privateSubnetIds: STAND_IN.subnetIds, quicksightSecurityGroupId: STAND_IN.securityGroupId },
      STAND_IN.warehouse(environment),
      STAND_IN.platform(environment),
    );
    const datasets = biDataSetInputs(deployedIn(environment, options.pipelines).map((d) => d.pipeline), new Namer(environment.name, environment.account.id, environment.account.region));
    new Bi(stack, "bi", {
      ...props,
      datasets,
      // Stand-ins for each pipeline's migration, which its data set waits for.
      prerequisites: { ...props.prerequisites, dataSets: Object.fromEntries(datasets.map((d) => [d.key, [{ fqn: `aws_redshiftdata_statement.${d.key}` }]])) },
      sampleDashboard: datasets.some((d) => d.key === SAMPLE_DASHBOARD.dataSet) ? SAMPLE_DASHBOARD : undefined,
      createAccountSubscription: options.createAccountSubscription ?? props.createAccountSubscription,
    });
  }
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

export function withBi(environment: Environment, enabled: boolean): Environment {
  return { ...environment, bi: { ...environment.bi, enabled } };
}

/** Nested blocks arrive as an object or a one-element list. */
export function one<T = Record<string, any>>(value: unknown): T {
  return (Array.isArray(value) ? value[0] : value) as T;
}
export function many<T = Record<string, any>>(value: unknown): T[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]) as T[];
}
