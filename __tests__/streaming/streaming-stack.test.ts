import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../environments";
import { ENTRY_SCRIPTS, PEPPER_LENGTH, PEPPER_VERSION_ID, libraryFiles, sha256Hex, treeSha256 } from "../../modules/streaming";
import { PIPELINE_DEFINITIONS, loadPipelines, resolvePipelineSettings } from "../../pipelines";
import { Arns } from "../../lib/arn";
import { QUARANTINE_PAYLOAD_PREFIX } from "../../modules/lake";
import { actionsIn, rolePolicies } from "../helpers/iam";
import { resourcesOf, synthAll } from "../helpers/synth";
import { GLUE_JOBS_DIR, jobNamed, requiredArgumentNames, streamNamed } from "./helpers";

const all = synthAll();
const environments = loadEnvironments();
const pipelines = loadPipelines(environments.map((e) => e.name));
const kebab = (name: string) => name.replace(/_/g, "-");

/** (environment, pipeline, settings) for every pipeline enabled in every environment, from the inputs. */
const deployments = all.flatMap((s) =>
  PIPELINE_DEFINITIONS.map((def) => ({
    synth: s,
    env: s.environment,
    pipeline: def.name,
    settings: resolvePipelineSettings(def, s.environment),
    hasWarehouseTable: def.warehouse !== undefined,
  })).filter((d) => d.settings.enabled),
);

describe("streaming module in every environment", () => {
  it("deploys at least two pipelines in every environment", () => {
    for (const s of all) expect(deployments.filter((d) => d.env.name === s.environment.name).length).toBeGreaterThanOrEqual(2);
  });

  it.each(deployments.map((d) => [d.env.name, d.pipeline, d] as const))("%s/%s: a stream sized by its settings, a streaming job and a batch job", (_env, pipeline, d) => {
    const stream = streamNamed(d.synth.resolvedPlatform, `dp-${d.env.name}-${kebab(pipeline)}`);
    expect(stream).toBeDefined();
    expect(stream!.stream_mode_details.stream_mode).toBe(d.settings.capacityMode);
    if (d.settings.capacityMode === "PROVISIONED") expect(stream!.shard_count).toBe(d.settings.shards);
    else expect(stream!.shard_count).toBeUndefined();
    expect(stream!.retention_period).toBe(d.settings.streamRetentionHours);
    expect(stream!.encryption_type).toBe("KMS");
    expect(stream!.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(stream!.lifecycle.prevent_destroy).toBe(d.env.protection.preventDestroy);

    const streaming = jobNamed(d.synth.resolvedPlatform, `dp-${d.env.name}-${kebab(pipeline)}-streaming`);
    const batch = jobNamed(d.synth.resolvedPlatform, `dp-${d.env.name}-${kebab(pipeline)}-batch`);
    expect(streaming.command).toMatchObject({ name: "gluestreaming", python_version: "3" });
    expect(batch.command).toMatchObject({ name: "glueetl", python_version: "3" });
    expect(streaming.worker_type).toBe(d.settings.workerType);
    expect(batch.worker_type).toBe(d.settings.batchWorkerType);
    expect(batch.worker_type).not.toBe("G.025X");
    for (const job of [streaming, batch]) {
      expect(job.number_of_workers).toBe(d.settings.maxWorkers);
      expect(job.execution_property.max_concurrent_runs).toBe(1);
      expect(job.glue_version).toBe("5.0");
      expect(job.default_arguments["--window_seconds"]).toBe(String(d.settings.windowSeconds));
      expect(job.default_arguments["--reference_refresh_minutes"]).toBe(String(d.env.streaming.referenceRefreshMinutes));
      expect(job.default_arguments["--pipeline"]).toBe(pipeline);
      // The stack wires the warehouse: a pipeline with a table loads it, a lake-only one does not.
      expect(job.default_arguments["--warehouse_enabled"]).toBe(String(d.hasWarehouseTable));
      expect(job.connections ?? []).toHaveLength(d.hasWarehouseTable ? 1 : 0);
    }
    expect(streaming.timeout).toBeUndefined();
    expect(batch.timeout).toBeGreaterThan(0);
    const arns = new Arns(d.env.account.id, d.env.account.region);
    expect(streaming.default_arguments["--stream_arn"]).toBe(arns.kinesisStream(stream!.name));
  });

  it("runs dev on one provisioned shard per stream (an on-demand stream bills more by the hour alone) and prod on provisioned shards", () => {
    const modes = (env: string) => resourcesOf(all.find((s) => s.environment.name === env)!.platform, "aws_kinesis_stream").map(([, s]) => s);
    for (const stream of modes("dev")) expect(stream).toMatchObject({ stream_mode_details: { stream_mode: "PROVISIONED" }, shard_count: 1 });
    for (const stream of modes("prod")) {
      expect(stream.stream_mode_details.stream_mode).toBe("PROVISIONED");
      expect(stream.shard_count).toBeGreaterThanOrEqual(1);
      expect(stream.retention_period).toBeGreaterThanOrEqual(168);
    }
  });

  it("passes every argument job_args.py requires, with the contract the assets module shipped", () => {
    for (const d of deployments) {
      for (const kind of ["streaming", "batch"] as const) {
        const job = jobNamed(d.synth.resolvedPlatform, `dp-${d.env.name}-${kebab(d.pipeline)}-${kind}`);
        expect(Object.keys(job.default_arguments)).toEqual(expect.arrayContaining(requiredArgumentNames(kind, false)));
        const contract = pipelines.find((p) => p.name === d.pipeline)!;
        expect(job.default_arguments["--contract_uri"]).toMatch(new RegExp(`/contracts/${d.pipeline}/${contract.contractSha256}\\.json$`));
      }
    }
  });

  it("gives the warehouse jobs their arguments and the streaming job the environment's load cadence", () => {
    const loading = deployments.filter((d) => d.hasWarehouseTable);
    expect(loading.length).toBeGreaterThan(0);
    for (const d of loading) {
      for (const kind of ["streaming", "batch"] as const) {
        const args = jobNamed(d.synth.resolvedPlatform, `dp-${d.env.name}-${kebab(d.pipeline)}-${kind}`).default_arguments;
        expect(Object.keys(args)).toEqual(expect.arrayContaining(requiredArgumentNames(kind, true)));
        expect(args["--warehouse_pending_path"]).toMatch(new RegExp(`^s3://[^/]+/checkpoints/${d.pipeline}/warehouse-pending/${kind}/$`));
      }
      const streaming = jobNamed(d.synth.resolvedPlatform, `dp-${d.env.name}-${kebab(d.pipeline)}-streaming`).default_arguments;
      expect(streaming["--warehouse_load_interval_minutes"]).toBe(String(d.env.warehouse.loadIntervalMinutes));
    }
  });

  it("gives every job its own checkpoint and work prefixes", () => {
    for (const s of all) {
      const jobs = resourcesOf(s.resolvedPlatform, "aws_glue_job").map(([, j]) => j.default_arguments as Record<string, string>);
      const checkpoints = jobs.map((a) => a["--checkpoint_location"]).filter(Boolean);
      expect(checkpoints.length).toBe(jobs.filter((a) => a["--stream_arn"]).length);
      for (const [i, c] of checkpoints.entries()) for (const [j, other] of checkpoints.entries()) if (i !== j) expect(c.startsWith(other)).toBe(false);
      for (const key of ["--TempDir", "--spark-event-logs-path"]) expect(new Set(jobs.map((a) => a[key])).size).toBe(jobs.length);
    }
  });

  it("schedules each batch job with the environment's schedule, deactivated where streaming.jobs is off (keep-alive: keep-alive.test.ts)", () => {
    for (const s of all) {
      const triggers = resourcesOf(s.resolvedPlatform, "aws_glue_trigger").map(([, t]) => t);
      const batchTriggers = triggers.filter((t) => /-batch$/.test(t.actions[0].job_name));
      expect(batchTriggers.length).toBe(deployments.filter((d) => d.env.name === s.environment.name).length);
      expect(triggers).toHaveLength(batchTriggers.length);
      const active = s.environment.streaming.jobs !== "off";
      for (const t of batchTriggers) expect(t).toMatchObject({ type: "SCHEDULED", schedule: s.environment.streaming.batchSchedule, enabled: active, start_on_creation: active });
    }
  });

  it("encrypts the jobs' log groups (one pair per pipeline, shared by its two jobs) with the platform key and keeps them for the environment's retention", () => {
    for (const s of all) {
      const groups = resourcesOf(s.resolvedPlatform, "aws_cloudwatch_log_group").map(([, g]) => g).filter((g) => g.name.startsWith("/aws-glue/"));
      expect(groups.length).toBe(resourcesOf(s.resolvedPlatform, "aws_glue_job").length);
      for (const g of groups) expect(g).toMatchObject({ retention_in_days: s.environment.retention.logDays, kms_key_id: expect.stringMatching(/aws_kms_key/) });
      for (const [, job] of resourcesOf(s.resolvedPlatform, "aws_glue_job")) {
        const prefix = job.default_arguments["--custom-logGroup-prefix"];
        expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining([`${prefix}/error`, `${prefix}/output`]));
      }
    }
  });

  it("keeps the pepper's value out of every file, plan and state: generated by Secrets Manager, written once by a function Terraform invokes once", () => {
    for (const s of all) {
      const [[secretId, secret]] = resourcesOf(s.platform, "aws_secretsmanager_secret").filter(([, x]) => x.name === `dp-${s.environment.name}-pepper`);
      expect(secret).toMatchObject({ name: `dp-${s.environment.name}-pepper`, recovery_window_in_days: s.environment.protection.kmsDeletionWindowDays });
      expect(secret.lifecycle.prevent_destroy).toBe(s.environment.protection.preventDestroy);
      // No secret version: refreshing one reads the value, which whoever plans may not.
      expect(resourcesOf(s.platform, "aws_secretsmanager_secret_version")).toEqual([]);
      expect((s.platform as any).ephemeral).toBeUndefined();
      const invocations = resourcesOf(s.platform, "aws_lambda_invocation").map(([, i]) => i);
      expect(invocations).toHaveLength(1);
      const [invocation] = invocations;
      expect(invocation.lifecycle_scope ?? "CREATE_ONLY").toBe("CREATE_ONLY");
      expect(JSON.parse(invocation.input)).toEqual({ SecretId: `\${aws_secretsmanager_secret.${secretId}.arn}`, VersionId: PEPPER_VERSION_ID, PasswordLength: PEPPER_LENGTH });
      const [[functionId, fn]] = resourcesOf(s.platform, "aws_lambda_function").filter(([, f]) => f.function_name === `dp-${s.environment.name}-pepper-initializer`);
      expect(invocation.function_name).toBe(`\${aws_lambda_function.${functionId}.function_name}`);
      expect(fn.handler).toBe("initialize_pepper.handler");
      // The initializer may write the pepper, never read it.
      const [[roleId]] = resourcesOf(s.platform, "aws_iam_role").filter(([, r]) => r.name === `dp-${s.environment.name}-pepper-initializer`);
      const actions = rolePolicies(s.platform, roleId).flatMap((p) => actionsIn(p));
      expect(actions).toContain("secretsmanager:PutSecretValue");
      expect(actions).not.toContain("secretsmanager:GetSecretValue");
    }
  });

  it("creates one security configuration per environment, used by every job", () => {
    for (const s of all) {
      const configurations = resourcesOf(s.resolvedPlatform, "aws_glue_security_configuration").map(([, c]) => c.name);
      expect(configurations).toEqual([`dp-${s.environment.name}-glue`]);
      for (const [, job] of resourcesOf(s.resolvedPlatform, "aws_glue_job")) expect(job.security_configuration).toBe(configurations[0]);
    }
  });
});

describe("shipping the Glue code", () => {
  const objects = (i: number) => resourcesOf(all[i].resolvedPlatform, "aws_s3_object").map(([, o]) => o).filter((o) => /^(scripts|libraries)\//.test(o.key));

  it("ships each entry script under a key named by the SHA-256 of the file on disk", () => {
    for (const s of all.keys()) {
      for (const file of Object.values(ENTRY_SCRIPTS)) {
        const sha = sha256Hex(readFileSync(join(GLUE_JOBS_DIR, file)));
        const object = objects(s).find((o) => o.key.startsWith(`scripts/${file.replace(/\.py$/, "")}/`));
        expect(object).toMatchObject({ key: `scripts/${file.replace(/\.py$/, "")}/${sha}.py`, source_hash: sha, server_side_encryption: "aws:kms" });
        expect(object!.etag).toBeUndefined();
      }
    }
  });

  it("ships the same bytes, under the same keys, in every environment", () => {
    const shipped = all.map((_, i) => objects(i).map((o) => `${o.key} ${o.source_hash} ${o.source}`).sort());
    expect(shipped[0].length).toBe(3);
    for (const other of shipped.slice(1)) expect(other).toEqual(shipped[0]);
    const archives = all.map((s) => Object.values((s.resolvedPlatform.data as any).archive_file).map((a: any) => ({ ...a, "//": undefined })));
    for (const other of archives.slice(1)) expect(other).toEqual(archives[0]);
  });

  it("zips the platform_etl package without caches or tests, keyed by the tree's hash", () => {
    const files = libraryFiles(join(GLUE_JOBS_DIR, "platform_etl"));
    expect(files).toContain("platform_etl/__init__.py");
    expect(files).toContain("platform_etl/job_args.py");
    expect(files.some((f) => /__pycache__|\.pyc$|tests\//.test(f))).toBe(false);
    // The development-only Glue shim and local services live beside the package, never in it: never shipped.
    for (const local of ["awsglue/__init__.py", "glue_local/run.py"]) expect(existsSync(join(GLUE_JOBS_DIR, "local", local))).toBe(true);
    expect(files.filter((f) => !f.startsWith("platform_etl/") || /awsglue|glue_local|_local\.py$/.test(f))).toEqual([]);
    // npm run local and the Spark suite write raw payloads where the jobs do.
    const local = readFileSync(join(GLUE_JOBS_DIR, "local", "glue_local", "__init__.py"), "utf8");
    expect(/^QUARANTINE_PAYLOAD_PREFIX = "([^"]+)"$/m.exec(local)?.[1]).toBe(QUARANTINE_PAYLOAD_PREFIX);
    const sha = treeSha256(GLUE_JOBS_DIR, files);
    const library = objects(0).find((o) => o.key.startsWith("libraries/"));
    expect(library).toMatchObject({ key: `libraries/platform_etl/${sha}.zip`, source_hash: sha });
    const [archive] = Object.values((all[0].platform.data as any).archive_file) as any[];
    expect(archive).toMatchObject({ type: "zip", output_file_mode: "0644" });
    expect(library!.source).toBe(`\${data.archive_file.${Object.keys((all[0].platform.data as any).archive_file)[0]}.output_path}`);
  });

  it("points every job at the shipped script and library", () => {
    for (const [i, s] of all.entries()) {
      const keys = objects(i).map((o) => `s3://${o.bucket}/${o.key}`);
      for (const [, job] of resourcesOf(s.resolvedPlatform, "aws_glue_job")) {
        expect(keys).toContain(job.command.script_location);
        expect(keys).toContain(job.default_arguments["--extra-py-files"]);
      }
    }
  });
});
