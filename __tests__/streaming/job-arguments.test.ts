import { JobArgumentError, JobArgumentInput, checkStartingPosition, jobArguments, jobLogGroupNames, jobWorkPrefixes } from "../../modules/streaming";
import { requiredArgumentNames } from "./helpers";

const prefixes = { scripts: "scripts/", libraries: "libraries/", contracts: "contracts/", checkpoints: "checkpoints/", temp: "temp/", sparkUi: "spark-ui/" };
const buckets = { raw: "raw-b", curated: "cur-b", quarantine: "q-b", reference: "ref-b", artifacts: "art-b" };
const base: JobArgumentInput = {
  kind: "streaming",
  pipeline: "orders",
  contractUri: "s3://art-b/contracts/orders/abc.json",
  buckets,
  prefixes,
  quarantinePayloadPrefix: "raw-payloads/",
  libraryUri: "s3://art-b/libraries/platform_etl/1.zip",
  pepperSecretId: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dp-dev-pepper-AbCdEf",
  windowSeconds: 100,
  referenceRefreshMinutes: 60,
  logGroupPrefix: "/aws-glue/dp-dev/jobs/orders-streaming",
  streamArn: "arn:aws:kinesis:eu-west-1:111122223333:stream/dp-dev-orders",
};

describe("jobArguments", () => {
  it("gives a streaming job every argument job_args.py requires, and Glue's switches", () => {
    const args = jobArguments(base);
    expect(Object.keys(args)).toEqual(expect.arrayContaining(requiredArgumentNames("streaming", false)));
    expect(args).toMatchObject({
      "--checkpoint_location": "s3://art-b/checkpoints/orders/streaming/",
      "--curated_path": "s3://cur-b/orders/",
      "--quarantine_path": "s3://q-b/orders/",
      "--quarantine_payload_path": "s3://q-b/raw-payloads/orders/",
      "--reference_bucket": "ref-b",
      "--TempDir": "s3://art-b/temp/orders/streaming/",
      "--spark-event-logs-path": "s3://art-b/spark-ui/orders/streaming/",
      "--enable-metrics": "true",
      "--custom-logGroup-prefix": "/aws-glue/dp-dev/jobs/orders-streaming",
      "--enable-auto-scaling": "true",
      "--enable-spark-ui": "true",
      "--warehouse_enabled": "false",
      "--starting_position": "trim_horizon",
      "--job-bookmark-option": "job-bookmark-disable",
    });
    expect(args["--raw_path"]).toBeUndefined();
    expect(args["--redshift_connection"]).toBeUndefined();
    // Glue 5 replaced continuous logging with always-on logging: the Glue 4 switches are gone.
    for (const glue4 of ["--enable-continuous-cloudwatch-log", "--enable-continuous-log-filter", "--continuous-log-logGroup"]) expect(args[glue4]).toBeUndefined();
  });

  it("gives a batch job its raw prefix and bookmarks, and no stream", () => {
    const args = jobArguments({ ...base, kind: "batch", streamArn: undefined });
    expect(Object.keys(args)).toEqual(expect.arrayContaining(requiredArgumentNames("batch", false)));
    expect(args["--raw_path"]).toBe("s3://raw-b/orders/");
    expect(args["--job-bookmark-option"]).toBe("job-bookmark-enable");
    expect(args["--stream_arn"]).toBeUndefined();
    expect(args["--checkpoint_location"]).toBeUndefined();
  });

  const warehouse = { connectionName: "dp-dev-redshift", database: "dp", tmpDir: "s3://art-b/temp/orders/streaming/redshift/", loadIntervalMinutes: 15 };

  it("adds the Redshift arguments only with a warehouse", () => {
    const args = jobArguments({ ...base, warehouse });
    expect(Object.keys(args)).toEqual(expect.arrayContaining(requiredArgumentNames("streaming", true)));
    expect(args["--warehouse_enabled"]).toBe("true");
    expect(args["--redshift_connection"]).toBe("dp-dev-redshift");
    for (const name of ["--warehouse_pending_path", "--warehouse_load_interval_minutes"]) expect(jobArguments(base)[name]).toBeUndefined();
  });

  it("gives the streaming job its load cadence and each job its own pending prefix beside the checkpoints", () => {
    const streaming = jobArguments({ ...base, warehouse });
    expect(streaming["--warehouse_load_interval_minutes"]).toBe("15");
    expect(streaming["--warehouse_pending_path"]).toBe("s3://art-b/checkpoints/orders/warehouse-pending/streaming/");
    expect(jobArguments({ ...base, warehouse: { ...warehouse, loadIntervalMinutes: 0 } })["--warehouse_load_interval_minutes"]).toBe("0");
    const batch = jobArguments({ ...base, kind: "batch", streamArn: undefined, warehouse });
    expect(Object.keys(batch)).toEqual(expect.arrayContaining(requiredArgumentNames("batch", true)));
    expect(batch["--warehouse_pending_path"]).toBe("s3://art-b/checkpoints/orders/warehouse-pending/batch/");
    expect(batch["--warehouse_load_interval_minutes"]).toBeUndefined();
    // Not inside Spark's checkpoint of the streaming job, nor the batch job's temp prefix (expired after tempDays).
    expect(streaming["--warehouse_pending_path"].startsWith(streaming["--checkpoint_location"])).toBe(false);
    expect(batch["--warehouse_pending_path"].startsWith(batch["--TempDir"])).toBe(false);
  });

  it("refuses bad input, naming the field and the valid range", () => {
    expect(() => jobArguments({ ...base, windowSeconds: 0 })).toThrow(/windowSeconds 0 must be an integer >= 1/);
    expect(() => jobArguments({ ...base, referenceRefreshMinutes: -1 })).toThrow(/referenceRefreshMinutes -1/);
    expect(() => jobArguments({ ...base, streamArn: undefined })).toThrow(/streamArn is required/);
    expect(() => jobArguments({ ...base, startingPosition: "yesterday" })).toThrow(JobArgumentError);
    expect(() => jobArguments({ ...base, warehouse: { ...warehouse, tmpDir: "/tmp/x" } })).toThrow(/tmpDir "\/tmp\/x" must be an s3:\/\/ URI/);
    expect(() => jobArguments({ ...base, warehouse: { ...warehouse, loadIntervalMinutes: -1 } })).toThrow(/warehouse.loadIntervalMinutes: -1 must be an integer from 0 \(every batch loads\) to 1440/);
    expect(() => jobArguments({ ...base, warehouse: { ...warehouse, loadIntervalMinutes: 2.5 } })).toThrow(/loadIntervalMinutes: 2.5/);
  });

  it("accepts the starting positions the Python side accepts", () => {
    for (const ok of ["LATEST", "trim_horizon", "earliest", "2026-03-07T05:00:00Z"]) expect(checkStartingPosition(ok)).toBe(ok);
    expect(() => checkStartingPosition("2026-03-07 05:00")).toThrow(/use latest, trim_horizon, earliest or YYYY-MM-DDTHH:MM:SSZ/);
  });

  it("gives each job its own work prefixes and only the streaming job a checkpoint", () => {
    const streaming = jobWorkPrefixes(prefixes, "orders", "streaming");
    const batch = jobWorkPrefixes(prefixes, "orders", "batch");
    expect(batch.checkpoint).toBeUndefined();
    expect(streaming.temp).not.toBe(batch.temp);
    expect(jobWorkPrefixes(prefixes, "orders_v2", "streaming").checkpoint!.startsWith(streaming.checkpoint!)).toBe(false);
  });

  it("names the log groups as Glue 5 does for a custom log group prefix", () => {
    expect(jobLogGroupNames("/aws-glue/dp-dev/jobs/orders-streaming")).toEqual({
      error: "/aws-glue/dp-dev/jobs/orders-streaming/error",
      output: "/aws-glue/dp-dev/jobs/orders-streaming/output",
    });
  });
});
