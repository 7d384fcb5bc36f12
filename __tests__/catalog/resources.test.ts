import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Namer } from "../../lib/naming";
import { CatalogAutomation, catalogNamePatterns, curatedObjectPattern, glueType, pipelineCatalogNames, projectionParameters, sharedCatalogNames } from "../../modules/catalog-automation";
import { Observability } from "../../modules/observability";
import { SHA256_HEX, UNMASKED_PATTERNS, lakePolicyCheckSql, viewQueries } from "../../modules/query";
import { ALL_RULES, TerraformJson, runPolicies } from "../../policies";
import { catalogBadCases } from "../policies/bad-cases/catalog";
import { resolveReferences } from "../helpers/references";
import { resourcesOf, stacksUnderTest, synthAll, synthEnvironment } from "../helpers/synth";
import { SAMPLE_PIPELINES, catalogPipeline, catalogResourcesOf, compiled, deployedPipelines, named, namerOf, projectionPipeline, stackLikeProps, synthCatalog } from "./inputs";

const dev = synthEnvironment("dev");
const prod = synthEnvironment("prod");
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0];
};
const curatedBucket = ({ environment }: typeof dev) => `dp-${environment.name}-curated-${environment.account.id}-${environment.account.region}`;
/** `${type.key.attribute}`: how one resource refers to another in the synthesized JSON. */
const ref = (type: string, key: string, attribute: string) => `\${${type}.${key}.${attribute}}`;

/** Pipelines deployed in an environment that run a crawler (and so have a new-object rule). */
const crawlerPipelines = (environment: string) => deployedPipelines(environment).filter((p) => catalogPipeline(p).catalogMode === "crawler");

/** One pipeline's new-object rule, the target it starts, and the environment's shared dead-letter queue with its policy. */
function ruleWiring(json: TerraformJson, environment: string, pipeline: string) {
  const names = pipelineCatalogNames(namerOf(environment), pipeline);
  const [ruleKey, rule] = named(json, "aws_cloudwatch_event_rule", names.rule);
  const [, target] = only(resourcesOf(json, "aws_cloudwatch_event_target").filter(([, t]) => t.rule === ref("aws_cloudwatch_event_rule", ruleKey, "name")));
  const [queueKey, queue] = named(json, "aws_sqs_queue", sharedCatalogNames(namerOf(environment)).ruleDeadLetterQueue);
  const [, queuePolicy] = only(resourcesOf(json, "aws_sqs_queue_policy").filter(([, q]) => q.queue_url === ref("aws_sqs_queue", queueKey, "url")));
  return { rule, target, queue, queuePolicy: JSON.parse(queuePolicy.policy) };
}

/** IAM's `ArnLike`: `*` is any run of characters, `?` one. */
const arnLike = (pattern: string, arn: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(arn);

describe("crawlers", () => {
  const crawlerOf = (pipeline: string) => named(dev.resolvedPlatform, "aws_glue_crawler", pipelineCatalogNames(namerOf("dev"), pipeline).crawler)[1];

  it("crawl only the pipeline's curated prefix, incrementally, with a security configuration", () => {
    expect(named(dev.resolvedPlatform, "aws_glue_crawler", "dp-dev-attendees-curated")[1].s3_target[0].path).toBe(`s3://${curatedBucket(dev)}/attendees/`);
    // The same security configuration as the Glue jobs (the streaming module's).
    const [[, securityConfiguration]] = resourcesOf(dev.platform, "aws_glue_security_configuration");
    for (const pipeline of crawlerPipelines("dev")) {
      const crawler = crawlerOf(pipeline);
      expect(crawler.s3_target).toHaveLength(1);
      expect(crawler.s3_target[0].path).toBe(`s3://${curatedBucket(dev)}/${pipeline}/`);
      // The jobs stage each batch under <pipeline>/_staging/ before publishing it into the partitions.
      expect(crawler.s3_target[0].exclusions).toEqual(expect.arrayContaining(["**/_staging/**", "**/_temporary/**"]));
      expect(crawler.recrawl_policy).toEqual({ recrawl_behavior: "CRAWL_NEW_FOLDERS_ONLY" });
      // AWS accepts only LOG/LOG with CRAWL_NEW_FOLDERS_ONLY.
      expect(crawler.schema_change_policy).toEqual({ update_behavior: "LOG", delete_behavior: "LOG" });
      expect(crawler.security_configuration).toBe(securityConfiguration.name);
      expect(crawler.database_name).toBe("dp_dev_curated");
    }
  });

  it("keep partitions on the table's schema and one table per pipeline", () => {
    for (const pipeline of crawlerPipelines("dev")) {
      const configuration = JSON.parse(crawlerOf(pipeline).configuration);
      expect(configuration.CrawlerOutput.Partitions.AddOrUpdateBehavior).toBe("InheritFromTable");
      expect(configuration.Grouping.TableGroupingPolicy).toBe("CombineCompatibleSchemas");
      expect(configuration.Version).toBe(1);
    }
  });

  it("refuse a missing security configuration, naming the field", () => {
    const stack = new TerraformStack(Testing.app(), "x");
    const props = { ...stackLikeProps("dev", "attendees"), pipelines: [catalogPipeline("attendees")], glueSecurityConfigurationName: "" };
    expect(() => new CatalogAutomation(stack, "c", props)).toThrow(/glueSecurityConfigurationName is "": every crawler needs a security configuration/);
  });
});

describe("projected table (session_checkins in projection mode, beside attendees with a crawler)", () => {
  const json = synthCatalog([catalogPipeline("attendees"), projectionPipeline]);
  const table = only(resourcesOf(json, "aws_glue_catalog_table"))[1];
  const contract = compiled.find((p) => p.name === "session_checkins")!.contract;

  it("replaces the crawler and the new-object rule: a projection pipeline keeps only its workflow and schedule", () => {
    expect(projectionPipeline.catalogMode).toBe("projection");
    expect(projectionPipeline.contract).toEqual(contract);
    expect(resourcesOf(json, "aws_glue_crawler").map(([, c]) => c.name)).toEqual(["dp-dev-attendees-curated"]);
    expect(resourcesOf(json, "aws_cloudwatch_event_rule").map(([, r]) => r.name)).toEqual(["dp-dev-attendees-new-objects"]);
    expect(resourcesOf(json, "aws_cloudwatch_event_target")).toHaveLength(1);
    expect(resourcesOf(json, "aws_sfn_state_machine").map(([, m]) => m.name).sort()).toEqual(["dp-dev-attendees-catalog", "dp-dev-session-checkins-catalog"]);
    expect(resourcesOf(json, "aws_scheduler_schedule").map(([, s]) => JSON.parse(s.target.input))).toEqual([
      { pipeline: "attendees", catchUp: true },
      { pipeline: "session_checkins", catchUp: true },
    ]);
  });

  it("is declared from the contract's lake columns with Glue types and string partitions", () => {
    expect(table.name).toBe("session_checkins");
    expect(table.storage_descriptor.columns.map((c: { name: string }) => c.name)).toEqual(contract.lake.columns.map((c) => c.name));
    expect(table.storage_descriptor.columns.find((c: { name: string }) => c.name === "scan_hour").type).toBe("int");
    expect(table.storage_descriptor.columns.find((c: { name: string }) => c.name === "scanned_at").type).toBe("timestamp");
    expect(table.partition_keys.map((k: { name: string; type: string }) => `${k.name}:${k.type}`)).toEqual(["year:string", "month:string", "day:string", "hour:string"]);
    expect(table.storage_descriptor.ser_de_info.serialization_library).toBe("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
  });

  it("projects year/month/day/hour, zero-padded, into the jobs' layout (Terraform-escaped)", () => {
    expect(table.parameters["projection.enabled"]).toBe("true");
    expect(table.parameters["projection.year.type"]).toBe("integer");
    expect(table.parameters["projection.hour.range"]).toBe("0,23");
    expect(table.parameters["projection.month.digits"]).toBe("2");
    expect(table.parameters["storage.location.template"]).toBe(
      `s3://dp-dev-curated-${dev.environment.account.id}-${dev.environment.account.region}/session_checkins/year=$\${year}/month=$\${month}/day=$\${day}/hour=$\${hour}/`,
    );
  });

  it("maps every contract type and refuses unknown ones and bad ranges", () => {
    expect(["string", "int", "long", "double", "boolean", "date", "timestamp", "decimal(10,2)"].map(glueType)).toEqual(["string", "int", "bigint", "double", "boolean", "date", "timestamp", "decimal(10,2)"]);
    expect(() => glueType("uuid")).toThrow(/column type "uuid" has no Glue type; valid: string/);
    expect(() => projectionParameters("s3://b/p/", { from: 2030, to: 2020 }, ["year", "month", "day", "hour"])).toThrow(/from and to must be whole years with from <= to/);
    expect(() => projectionParameters("s3://b/p/", { from: 2020, to: 2030 }, ["dt"])).toThrow(/partition keys are \["dt"\]/);
  });
});

describe("catalog databases and encryption", () => {
  it("creates raw and curated databases, protected in prod", () => {
    const databases = resourcesOf(prod.platform, "aws_glue_catalog_database").map(([, d]) => d);
    expect(databases.map((d) => d.name).sort()).toEqual(["dp_prod_curated", "dp_prod_raw"]);
    expect(databases.every((d) => d.lifecycle.prevent_destroy === true)).toBe(true);
    const devDatabases = resourcesOf(dev.platform, "aws_glue_catalog_database").map(([, d]) => d);
    expect(devDatabases.every((d) => d.lifecycle.prevent_destroy === false)).toBe(true);
  });

  it("encrypts the catalog and connection passwords with the platform key", () => {
    const settings = only(resourcesOf(dev.platform, "aws_glue_data_catalog_encryption_settings"))[1].data_catalog_encryption_settings;
    expect(settings.encryption_at_rest.catalog_encryption_mode).toBe("SSE-KMS");
    expect(settings.encryption_at_rest.sse_aws_kms_key_id).toMatch(/^\$\{aws_kms_key\.lake_platform-key/);
    expect(settings.connection_password_encryption.return_connection_password_encrypted).toBe(true);
    expect(settings.connection_password_encryption.aws_kms_key_id).toMatch(/^\$\{aws_kms_key\.lake_platform-key/);
  });
});

describe("workflows, triggers and schedules", () => {
  it("log everything to an encrypted group kept as the environment says, with execution data per environment", () => {
    for (const { platform, environment } of [dev, prod]) {
      for (const [, machine] of resourcesOf(platform, "aws_sfn_state_machine")) {
        expect(machine.logging_configuration.level).toBe("ALL");
        expect(machine.logging_configuration.include_execution_data).toBe(environment.observability.stepFunctionsIncludeExecutionData);
        expect(machine.tracing_configuration).toEqual({ enabled: true });
        expect(machine.type).toBe("STANDARD");
      }
      for (const [, group] of resourcesOf(platform, "aws_cloudwatch_log_group").filter(([id]) => id.startsWith("catalog_"))) {
        expect(group.retention_in_days).toBe(environment.retention.logDays);
        expect(group.kms_key_id).toBeTruthy();
      }
    }
  });

  it("the rule's target sends only pipeline, bucket and key, retries, and dead-letters to the environment's queue, which only its new-object rules may use", () => {
    const pattern = `arn:aws:events:eu-west-1:111122223333:rule/${catalogNamePatterns(namerOf("dev")).rule}`;
    expect(pattern).toBe("arn:aws:events:eu-west-1:111122223333:rule/dp-dev-*-new-objects");
    for (const pipeline of crawlerPipelines("dev")) {
      const { rule, target, queue, queuePolicy } = ruleWiring(dev.platform, "dev", pipeline);
      expect(target.input_transformer.input_paths).toEqual({ bucket: "$.detail.bucket.name", key: "$.detail.object.key" });
      const filled = target.input_transformer.input_template.replace("<bucket>", '"b"').replace("<key>", '"k"');
      expect(JSON.parse(filled)).toEqual({ pipeline, bucket: "b", key: "k", catchUp: false });
      expect(target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
      expect(target.dead_letter_config.arn).toBe(`arn:aws:sqs:eu-west-1:111122223333:${queue.name}`);
      expect(queuePolicy.Statement).toEqual([
        expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Action: ["sqs:SendMessage"], Condition: { ArnLike: { "aws:SourceArn": pattern } } }),
      ]);
      expect(arnLike(pattern, `arn:aws:events:eu-west-1:111122223333:rule/${rule.name}`)).toBe(true);
    }
    // Not the environment's other rules, nor another environment's.
    for (const other of ["dp-dev-glue-streaming-failures", "dp-prod-attendees-new-objects", "dp-dev2-attendees-new-objects"]) {
      expect([other, arnLike(pattern, `arn:aws:events:eu-west-1:111122223333:rule/${other}`)]).toEqual([other, false]);
    }
  });

  it("the nightly catch-up forces a crawl on the environment's schedule, with retry and dead-letter queue", () => {
    const schedules = catalogResourcesOf(prod.platform, "aws_scheduler_schedule").map(([, s]) => s);
    const inputs = schedules.map((s) => JSON.parse(s.target.input));
    expect(inputs).toEqual(expect.arrayContaining([
      { pipeline: "attendees", catchUp: true },
      { pipeline: "session_checkins", catchUp: true },
    ]));
    expect(inputs.map((i) => i.pipeline).sort()).toEqual(deployedPipelines("prod").sort());
    for (const input of inputs) expect(input).toEqual({ pipeline: input.pipeline, catchUp: true });
    const [, queue] = named(prod.platform, "aws_sqs_queue", sharedCatalogNames(namerOf("prod")).scheduleDeadLetterQueue);
    for (const schedule of schedules) {
      expect(schedule.schedule_expression).toBe(prod.environment.catalog.catchUpSchedule);
      expect(schedule.target.dead_letter_config.arn).toBe(`arn:aws:sqs:eu-west-1:777788889999:${queue.name}`);
      expect(schedule.target.retry_policy.maximum_retry_attempts).toBeGreaterThan(0);
    }
  });

  it("every queue is KMS-encrypted", () => {
    for (const [, queue] of resourcesOf(dev.platform, "aws_sqs_queue")) expect(queue.kms_master_key_id).toMatch(/aws_kms_key/);
  });
});

describe("alarm topic", () => {
  it("is KMS-encrypted, subscribes the environment's addresses and lets only this account's services and rules publish", () => {
    const topic = only(resourcesOf(prod.platform, "aws_sns_topic"))[1];
    expect(topic.name).toBe("dp-prod-alarms");
    expect(topic.kms_master_key_id).toMatch(/aws_kms_key/);
    const emails = resourcesOf(prod.platform, "aws_sns_topic_subscription").map(([, s]) => [s.protocol, s.endpoint]);
    expect(emails).toEqual(prod.environment.alarms.emails.map((e) => ["email", e]));
    const policy = JSON.parse(only(resourcesOf(prod.platform, "aws_sns_topic_policy"))[1].policy);
    const allows = policy.Statement.filter((s: { Effect: string }) => s.Effect === "Allow");
    const account = prod.environment.account.id;
    for (const statement of allows) {
      // Services as themselves: for this account; EventBridge: for named rules, whose ARNs name this account.
      if (statement.Principal.Service === "events.amazonaws.com") {
        for (const arn of statement.Condition.ArnEquals["aws:SourceArn"]) expect(arn).toMatch(new RegExp(`^arn:aws:events:[a-z0-9-]+:${account}:rule/dp-prod-`));
      } else if (statement.Principal.Service === "budgets.amazonaws.com") {
        // AWS Budgets: this account, and this environment's budget only.
        expect(statement.Condition).toEqual({ StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": [`arn:aws:budgets::${account}:budget/dp-prod-monthly-cost`] } });
      } else expect(statement.Condition).toEqual({ StringEquals: { "aws:SourceAccount": account } });
    }
  });

  it("refuses an empty address list", () => {
    const stack = new TerraformStack(Testing.app(), "x");
    expect(() => new Observability(stack, "o", { alarmTopicName: "dp-dev-alarms", kmsKeyArn: "k", accountId: "111122223333", region: "eu-west-1", alarmEmails: [] })).toThrow(/alarmEmails is \[\]/);
  });
});

describe("Athena", () => {
  it("one enforced, encrypted, capped engine-3 workgroup per environment", () => {
    for (const { platform, environment } of [dev, prod]) {
      const workgroup = only(resourcesOf(platform, "aws_athena_workgroup"))[1];
      expect(workgroup.name).toBe(new Namer(environment.name, environment.account.id, environment.account.region).name("athenaWorkgroup", "analytics"));
      expect(workgroup.configuration.enforce_workgroup_configuration).toBe(true);
      expect(workgroup.configuration.publish_cloudwatch_metrics_enabled).toBe(true);
      expect(workgroup.configuration.bytes_scanned_cutoff_per_query).toBe(environment.athena.bytesScannedCutoffPerQuery);
      expect(workgroup.configuration.engine_version.selected_engine_version).toBe("Athena engine version 3");
      expect(resolveReferences(workgroup.configuration.result_configuration.output_location, platform)).toMatch(new RegExp(`^s3://dp-${environment.name}-athena-results-`));
      expect(workgroup.configuration.result_configuration.encryption_configuration.encryption_option).toBe("SSE_KMS");
    }
  });

  it("saves attendees by country over the curated table, and a lake policy check per pipeline", () => {
    // The samples' queries (construct ids are `query_<pipeline>-<query>`); other pipelines may add theirs.
    const queries = resourcesOf(dev.resolvedPlatform, "aws_athena_named_query")
      .filter(([key]) => SAMPLE_PIPELINES.some((pipeline) => key.startsWith(`query_${pipeline}-`)))
      .map(([, q]) => q);
    expect(queries.map((q) => q.name).sort()).toEqual([
      "dp-dev-attendees-attendees-by-country",
      "dp-dev-attendees-lake-policy-check",
      "dp-dev-session-checkins-checkins-by-session",
      "dp-dev-session-checkins-lake-policy-check",
    ]);
    const byCountry = queries.find((q) => q.name.endsWith("attendees-by-country"))!;
    expect(byCountry.query).toContain('count(DISTINCT "attendee_id") AS "attendee_count"');
    expect(byCountry.query).toContain('FROM "dp_dev_curated"."attendees"');
    expect(byCountry.query).toContain('GROUP BY "country_code", "country_name", "country_region", "ticket_type"');
  });

  it("checks each lake action the contract declares", () => {
    const pipeline = { name: "t", contract: { lake: { columns: [] }, warehouse: null, sensitive: [
      { field: "email", classification: "email", lake: "drop" },
      { field: "ssn", classification: "free_text", lake: "hash" },
      { field: "ip", classification: "ip_address", lake: "mask" },
      { field: "name", classification: "person_name", lake: "keep" },
    ] } };
    const sql = lakePolicyCheckSql("db", pipeline)!;
    expect(sql.split("UNION ALL")).toHaveLength(3);
    expect(sql).toContain("FROM information_schema.columns WHERE table_schema = 'db' AND table_name = 't' AND column_name = 'email'");
    expect(sql).toContain(`NOT regexp_like("ssn", '${SHA256_HEX}')`);
    expect(sql).toContain(`regexp_like("ip", '${UNMASKED_PATTERNS.ip_address}')`);
    expect(sql).not.toContain('"name"');
    expect(lakePolicyCheckSql("db", { ...pipeline, contract: { ...pipeline.contract, sensitive: [] } })).toBeUndefined();
  });

  it("leaves out a view that needs a column the lake dropped", () => {
    const view = { name: "v", description: "d", group_by: ["email"], measures: [{ name: "n", aggregate: "count", column: null }] };
    expect(viewQueries("db", { name: "t", contract: { lake: { columns: [] }, sensitive: [], warehouse: { materialized_views: [view] } } })).toEqual([]);
  });

  describe("unmasked-value patterns against the masking golden cases (glue-jobs)", () => {
    const golden = JSON.parse(readFileSync(join(__dirname, "../../glue-jobs/tests/golden/masking_cases.json"), "utf8")) as {
      cases: { input: string | null; classification: string; action: string; expected: string | null }[];
    };
    const masked = golden.cases.filter((c) => (c.action === "mask" || c.action === "partial") && c.expected !== null);

    it("never flag a value the masking produced", () => {
      expect(masked.length).toBeGreaterThan(5);
      for (const c of masked) expect([c.classification, c.expected, new RegExp(UNMASKED_PATTERNS[c.classification]).test(c.expected!)]).toEqual([c.classification, c.expected, false]);
    });

    it("flag the clear value for every classification the golden cases mask", () => {
      const flagged = new Set(masked.filter((c) => c.input !== c.expected && new RegExp(UNMASKED_PATTERNS[c.classification]).test(c.input!)).map((c) => c.classification));
      expect([...flagged].sort()).toEqual([...new Set(masked.map((c) => c.classification))].sort());
    });

    it("hashes are 64 lowercase hex digits", () => {
      const hashes = golden.cases.filter((c) => c.action === "hash" && c.expected !== null);
      for (const c of hashes) expect(new RegExp(SHA256_HEX).test(c.expected!)).toBe(true);
      expect(new RegExp(SHA256_HEX).test("jane.doe@example.com")).toBe(false);
    });
  });
});

describe("every environment", () => {
  it.each(synthAll().map((s) => [s.environment.name, s] as const))(
    "%s: per enabled pipeline a crawler, the new-object rule, the workflow and the nightly schedule, wired together; one Athena workgroup",
    (_name, synthesized) => {
      const { platform, environment } = synthesized;
      const pipelines = deployedPipelines(environment.name);
      // Both samples are deployed everywhere, with a crawler (the default mode).
      expect(pipelines).toEqual(expect.arrayContaining([...SAMPLE_PIPELINES]));
      for (const sample of SAMPLE_PIPELINES) expect([sample, catalogPipeline(sample).catalogMode]).toEqual([sample, "crawler"]);
      const crawling = crawlerPipelines(environment.name);
      const projected = pipelines.filter((p) => !crawling.includes(p));
      const bucket = curatedBucket(synthesized);

      for (const pipeline of pipelines) {
        const names = pipelineCatalogNames(namerOf(environment.name), pipeline);
        const [workflowKey, workflow] = named(platform, "aws_sfn_state_machine", names.stateMachine);
        const workflowArn = ref("aws_sfn_state_machine", workflowKey, "arn");
        expect(workflow.type).toBe("STANDARD");
        const [, schedule] = named(platform, "aws_scheduler_schedule", names.schedule);
        expect(schedule.target.arn).toBe(workflowArn);
        expect(JSON.parse(schedule.target.input)).toEqual({ pipeline, catchUp: true });
        expect(schedule.schedule_expression).toBe(environment.catalog.catchUpSchedule);
        if (!crawling.includes(pipeline)) continue;
        const [, crawler] = named(synthesized.resolvedPlatform, "aws_glue_crawler", names.crawler);
        expect(crawler.s3_target[0].path).toBe(`s3://${bucket}/${pipeline}/`);
        const { rule, target } = ruleWiring(platform, environment.name, pipeline);
        expect(JSON.parse(resolveReferences(rule.event_pattern, platform))).toEqual(curatedObjectPattern(bucket, pipeline));
        expect(target.arn).toBe(workflowArn);
      }
      // Nothing more: no crawler or rule for a projection pipeline, a table only for those.
      expect(catalogResourcesOf(platform, "aws_sfn_state_machine")).toHaveLength(pipelines.length);
      expect(catalogResourcesOf(platform, "aws_scheduler_schedule")).toHaveLength(pipelines.length);
      expect(resourcesOf(platform, "aws_glue_crawler")).toHaveLength(crawling.length);
      expect(catalogResourcesOf(platform, "aws_cloudwatch_event_rule")).toHaveLength(crawling.length);
      expect(catalogResourcesOf(platform, "aws_cloudwatch_event_target")).toHaveLength(crawling.length);
      expect(resourcesOf(platform, "aws_glue_catalog_table").map(([, t]) => t.name).sort()).toEqual(projected.sort());
      expect(resourcesOf(platform, "aws_athena_workgroup")).toHaveLength(1);
    },
  );
});

describe("orchestration and Athena rules", () => {
  it("pass over the synthesized dev and prod stacks", () => {
    for (const id of Object.keys(catalogBadCases)) {
      const rule = ALL_RULES.find((r) => r.id === id)!;
      expect(runPolicies(synthEnvironmentStacks(), [rule]).violations).toEqual([]);
    }
  });
});

function synthEnvironmentStacks() {
  return stacksUnderTest().filter((stack) => stack.environment === "dev" || stack.environment === "prod");
}
