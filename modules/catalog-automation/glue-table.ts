import type { ContractColumn } from "../../pipelines/contract";

/** Contract types → Glue/Hive column types (what Athena and Spectrum read). */
export function glueType(contractType: string): string {
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(contractType);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const mapped: Record<string, string> = {
    string: "string",
    int: "int",
    long: "bigint",
    double: "double",
    boolean: "boolean",
    date: "date",
    timestamp: "timestamp",
  };
  const glue = mapped[contractType];
  if (!glue) throw new Error(`column type ${JSON.stringify(contractType)} has no Glue type; valid: ${[...Object.keys(mapped), "decimal(p,s)"].join(", ")}`);
  return glue;
}

export const PARQUET_SERDE = {
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
} as const;

/** The years a projected table answers for: Athena enumerates this range when a query has no year filter. */
export interface YearRange {
  readonly from: number;
  readonly to: number;
}

/** Partition ranges: month/day/hour zero-padded as the jobs write them (`month=03`). */
const PROJECTED_RANGES = { month: "1,12", day: "1,31", hour: "0,23" } as const;

/**
 * Table parameters for partition projection over `year/month/day/hour` string partitions.
 * `$${…}` is Terraform's escape for a literal `${…}`: Athena, not Terraform, fills these in.
 */
export function projectionParameters(curatedPath: string, years: YearRange, partitionKeys: readonly string[]): Record<string, string> {
  const expected = ["year", "month", "day", "hour"];
  if (partitionKeys.join("/") !== expected.join("/")) {
    throw new Error(`partition keys are ${JSON.stringify(partitionKeys)}: projection supports exactly ${JSON.stringify(expected)}`);
  }
  if (!Number.isInteger(years.from) || !Number.isInteger(years.to) || years.from > years.to) {
    throw new Error(`projection year range is ${JSON.stringify(years)}: from and to must be whole years with from <= to`);
  }
  const root = curatedPath.endsWith("/") ? curatedPath : `${curatedPath}/`;
  return {
    classification: "parquet",
    EXTERNAL: "TRUE",
    "parquet.compression": "SNAPPY",
    "projection.enabled": "true",
    "projection.year.type": "integer",
    "projection.year.range": `${years.from},${years.to}`,
    "projection.month.type": "integer",
    "projection.month.range": PROJECTED_RANGES.month,
    "projection.month.digits": "2",
    "projection.day.type": "integer",
    "projection.day.range": PROJECTED_RANGES.day,
    "projection.day.digits": "2",
    "projection.hour.type": "integer",
    "projection.hour.range": PROJECTED_RANGES.hour,
    "projection.hour.digits": "2",
    "storage.location.template": `${root}year=$\${year}/month=$\${month}/day=$\${day}/hour=$\${hour}/`,
  };
}

/** Columns of the declared table, from the contract's `lake.columns`. */
export function glueColumns(columns: readonly ContractColumn[]): { name: string; type: string; comment: string }[] {
  return columns.map((c) => ({ name: c.name, type: glueType(c.type), comment: c.description.slice(0, 255) }));
}
