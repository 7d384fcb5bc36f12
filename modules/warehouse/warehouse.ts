import { GlueConnection } from "@cdktf/provider-aws/lib/glue-connection";
import { RedshiftdataStatement } from "@cdktf/provider-aws/lib/redshiftdata-statement";
import { RedshiftserverlessNamespace } from "@cdktf/provider-aws/lib/redshiftserverless-namespace";
import { RedshiftserverlessSnapshot } from "@cdktf/provider-aws/lib/redshiftserverless-snapshot";
import { RedshiftserverlessUsageLimit } from "@cdktf/provider-aws/lib/redshiftserverless-usage-limit";
import { RedshiftserverlessWorkgroup } from "@cdktf/provider-aws/lib/redshiftserverless-workgroup";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ServiceRole } from "../../lib/service-role";
import { sha256Hex } from "./hash";
import { DatabaseUser } from "./database-user";
import {
  TablePrivilege,
  columnCommentSql,
  createMaterializedViewSql,
  createSchemaSql,
  createTableSql,
  dropMaterializedViewSql,
  ensureUserCallSql,
  ensureUserProcedureSql,
  grantOnSchemaSql,
  grantOnTableSql,
  tableCommentSql,
} from "./ddl";
import { redshiftRolePolicy } from "./redshift-role-policy";
import { WarehousePipelineInput, WarehouseProps, WarehouseUsageLimit } from "./warehouse-props";

export const REDSHIFT_PORT = 5439;
export const DEFAULT_SCHEMA = "data_platform";
/** Every log Redshift Serverless can export: audit trail of connections, users and queries. */
export const LOG_EXPORTS = ["useractivitylog", "userlog", "connectionlog"];
/** The writer loads (MERGE) and deletes; staging tables it creates itself, so it owns them. */
export const WRITER_TABLE_PRIVILEGES: readonly TablePrivilege[] = ["SELECT", "INSERT", "UPDATE", "DELETE"];

/** Names of one pipeline's warehouse relations. */
export interface WarehouseTableNames {
  readonly table: string;
  /** The contract's staging table name; each job loads `<stagingTable>_streaming` or `_batch`. */
  readonly stagingTable: string;
  readonly materializedViews: readonly string[];
}

/** What the streaming jobs need to load the warehouse. */
export interface WarehouseJobConnection {
  readonly connectionName: string;
  readonly database: string;
  readonly connectionSecretArn: string;
  /** `s3://bucket/prefix/`: the jobs' `--redshift_tmp_dir`. */
  readonly tempDir: string;
}

/**
 * Redshift Serverless in the private network: namespace (platform key, admin password kept by
 * Secrets Manager, default IAM role), workgroup (private, enhanced VPC routing, TLS required),
 * usage limits as the cost brake, the Glue connection the jobs load through, the ETL and BI users,
 * and the schema generated from the pipeline contracts.
 */
export class Warehouse extends Construct {
  readonly namespaceName: string;
  readonly workgroupName: string;
  readonly workgroupArn: string;
  /** Token: known after the workgroup exists. */
  readonly endpointAddress: string;
  readonly port: number;
  readonly databaseName: string;
  readonly schemaName: string;
  readonly glueConnectionName: string;
  readonly adminSecretArn: string;
  readonly etlSecretArn: string;
  readonly etlWriterUsername: string;
  readonly biReaderSecretArn: string;
  readonly biReaderUsername: string;
  readonly redshiftRoleArn: string;
  /** Per pipeline with a warehouse section. */
  readonly tables: Readonly<Record<string, WarehouseTableNames>>;
  /** For the streaming module. */
  readonly jobConnection: WarehouseJobConnection;

  private readonly statementContext: { workgroupName: string; database: string; adminSecretArn: string };

  constructor(scope: Construct, id: string, props: WarehouseProps) {
    super(scope, id);
    validateWarehouseProps(props);
    const preventDestroy = props.preventDestroy ?? true;
    const database = props.databaseName ?? "analytics";
    const schema = props.schemaName ?? DEFAULT_SCHEMA;

    const { role } = new ServiceRole(this, "redshift-role", {
      roleName: props.redshiftRoleName,
      description: "Redshift Serverless: COPY/UNLOAD through the temp prefix, Spectrum over the curated zone",
      // Redshift Serverless assumes default IAM roles as redshift.amazonaws.com.
      service: "redshift.amazonaws.com",
      accountId: props.accountId,
      region: props.region,
      policyName: "lake-access",
      permissions: redshiftRolePolicy(props),
    });

    const namespace = new RedshiftserverlessNamespace(this, "namespace", {
      namespaceName: props.namespaceName,
      dbName: database,
      adminUsername: props.adminUsername ?? "dpadmin",
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: props.kmsKeyArn,
      kmsKeyId: props.kmsKeyArn,
      iamRoles: [role.arn],
      defaultIamRoleArn: role.arn,
      logExports: LOG_EXPORTS,
      lifecycle: { preventDestroy },
    });

    const workgroup = new RedshiftserverlessWorkgroup(this, "workgroup", {
      workgroupName: props.workgroupName,
      namespaceName: namespace.namespaceName,
      baseCapacity: props.baseCapacityRpu,
      maxCapacity: props.maxCapacityRpu,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [props.redshiftSecurityGroupId],
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      port: REDSHIFT_PORT,
      configParameter: workgroupConfigParameters(),
      lifecycle: { preventDestroy },
    });

    props.usageLimits.forEach((limit) => new RedshiftserverlessUsageLimit(this, usageLimitId(limit), usageLimitConfig(workgroup.arn, limit)));

    if (props.snapshotRetentionDays !== undefined) {
      // A baseline to restore from beyond the 24 hours of automatic recovery points (README).
      new RedshiftserverlessSnapshot(this, "baseline-snapshot", {
        namespaceName: namespace.namespaceName,
        snapshotName: `${props.namespaceName}-baseline`,
        retentionPeriod: props.snapshotRetentionDays,
        dependsOn: [workgroup],
      });
    }

    const etlWriter = new DatabaseUser(this, "etl-writer", {
      username: props.etlWriterUsername ?? "dp_etl_writer",
      secretName: props.secretNames.etlWriter,
      description: `Redshift user the Glue jobs load ${props.workgroupName} with`,
      kmsKeyArn: props.kmsKeyArn,
      preventDestroy,
    });
    const biReader = new DatabaseUser(this, "bi-reader", {
      username: props.biReaderUsername ?? "dp_bi_reader",
      secretName: props.secretNames.biReader,
      description: `Read-only Redshift user QuickSight queries ${props.workgroupName} with`,
      kmsKeyArn: props.kmsKeyArn,
      preventDestroy,
    });

    this.endpointAddress = workgroup.endpoint.get(0).address;
    const subnetIndex = 0;
    const connection = new GlueConnection(this, "glue-connection", {
      name: props.glueConnectionName,
      description: `JDBC to ${props.workgroupName}/${database}; credentials from the ETL writer's secret`,
      connectionType: "JDBC",
      connectionProperties: {
        JDBC_CONNECTION_URL: jdbcUrl(this.endpointAddress, REDSHIFT_PORT, database),
        JDBC_ENFORCE_SSL: "true",
        SECRET_ID: etlWriter.secretName,
      },
      physicalConnectionRequirements: {
        subnetId: props.subnetIds[subnetIndex],
        availabilityZone: props.subnetAvailabilityZones[subnetIndex],
        securityGroupIdList: [props.glueSecurityGroupId],
      },
    });

    this.statementContext = { workgroupName: workgroup.workgroupName, database, adminSecretArn: namespace.adminPasswordSecretArn };
    const tables = this.applySchema(schema, props.pipelines, etlWriter, biReader);

    this.namespaceName = props.namespaceName;
    this.workgroupName = props.workgroupName;
    this.workgroupArn = workgroup.arn;
    this.port = REDSHIFT_PORT;
    this.databaseName = database;
    this.schemaName = schema;
    this.glueConnectionName = connection.name;
    this.adminSecretArn = namespace.adminPasswordSecretArn;
    this.etlSecretArn = etlWriter.secretArn;
    this.etlWriterUsername = etlWriter.username;
    this.biReaderSecretArn = biReader.secretArn;
    this.biReaderUsername = biReader.username;
    this.redshiftRoleArn = role.arn;
    this.tables = tables;
    this.jobConnection = {
      connectionName: connection.name,
      database,
      connectionSecretArn: etlWriter.secretArn,
      tempDir: `s3://${props.tempBucketName}/${props.tempPrefix}`,
    };
  }

  /** One Data API statement: one SQL statement, run as the admin unless a user's secret is given. */
  private statement(id: string, sql: string, dependsOn: ITerraformDependable[], runAs?: DatabaseUser): RedshiftdataStatement {
    return new RedshiftdataStatement(this, id, {
      workgroupName: this.statementContext.workgroupName,
      database: this.statementContext.database,
      secretArn: runAs ? runAs.secretArn : this.statementContext.adminSecretArn,
      sql,
      dependsOn,
    });
  }

  private applySchema(schema: string, pipelines: readonly WarehousePipelineInput[], writer: DatabaseUser, reader: DatabaseUser): Record<string, WarehouseTableNames> {
    const createSchema = this.statement("schema", createSchemaSql(schema), []);
    const procedure = this.statement("procedure-ensure-user", ensureUserProcedureSql(schema), [createSchema]);
    const users = [writer, reader].map((user, index) =>
      this.statement(`user-${["etl-writer", "bi-reader"][index]}`, ensureUserCallSql(schema, user.username, user.passwordHash), [procedure]),
    );
    const schemaGrants = [
      this.statement("grant-schema-etl-writer", grantOnSchemaSql(schema, ["USAGE", "CREATE"], writer.username), users),
      this.statement("grant-schema-bi-reader", grantOnSchemaSql(schema, ["USAGE"], reader.username), users),
    ];

    const tables: Record<string, WarehouseTableNames> = {};
    for (const pipeline of pipelines) {
      const contract = pipeline.contract;
      const warehouse = contract.warehouse;
      if (!warehouse) continue;
      const prefix = `table-${pipeline.name}`;
      const table = this.statement(prefix, createTableSql(contract), schemaGrants);
      this.statement(`${prefix}-comment`, tableCommentSql(contract), [table]);
      for (const { column, sql } of columnCommentSql(contract)) this.statement(`${prefix}-comment-${column}`, sql, [table]);
      const writerGrant = this.statement(`${prefix}-grant-etl-writer`, grantOnTableSql(schema, warehouse.table, WRITER_TABLE_PRIVILEGES, writer.username), [table]);
      if (pipeline.biSource === "table") this.statement(`${prefix}-grant-bi-reader`, grantOnTableSql(schema, warehouse.table, ["SELECT"], reader.username), [table]);

      for (const view of warehouse.materialized_views) {
        const definition = createMaterializedViewSql(contract, view);
        const viewPrefix = `view-${pipeline.name}-${view.name}`;
        // The writer owns the views: only a view's owner may REFRESH it, and the jobs refresh after each MERGE.
        const drop = this.statement(`${viewPrefix}-drop`, dropMaterializedViewSql(schema, view.name, sha256Hex(definition)), [writerGrant], writer);
        const create = this.statement(viewPrefix, definition, [drop], writer);
        if (pipeline.biSource === view.name) {
          const grant = this.statement(`${viewPrefix}-grant-bi-reader`, grantOnTableSql(schema, view.name, ["SELECT"], reader.username), [create], writer);
          // A re-created view has lost its grants: grant again whenever it is re-created.
          grant.addOverride("lifecycle.replace_triggered_by", [create.fqn]);
        }
      }
      tables[pipeline.name] = { table: warehouse.table, stagingTable: warehouse.staging_table, materializedViews: warehouse.materialized_views.map((v) => v.name) };
    }
    return tables;
  }
}

/** `jdbc:redshift://host:port/database`. */
export function jdbcUrl(host: string, port: number, database: string): string {
  return `jdbc:redshift://${host}:${port}/${database}`;
}

/**
 * Every parameter the API returns for a workgroup, at the platform's values: the provider diffs
 * forever on keys the configuration omits (terraform-provider-aws #33692).
 */
export function workgroupConfigParameters(): { parameterKey: string; parameterValue: string }[] {
  const values: Record<string, string> = {
    auto_mv: "true",
    datestyle: "ISO, MDY",
    enable_case_sensitive_identifier: "false",
    enable_user_activity_logging: "true",
    max_query_execution_time: "14400",
    query_group: "default",
    require_ssl: "true",
    search_path: "$user, public",
    use_fips_ssl: "false",
  };
  return Object.entries(values).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue }));
}

export function usageLimitId(limit: WarehouseUsageLimit): string {
  return `usage-limit-${limit.period}`;
}

export function usageLimitConfig(workgroupArn: string, limit: WarehouseUsageLimit) {
  return { resourceArn: workgroupArn, usageType: "serverless-compute", amount: limit.rpuHours, period: limit.period, breachAction: limit.breachAction };
}

/** Refuses props that would only fail at apply, naming the field, the value and what is valid. */
export function validateWarehouseProps(props: WarehouseProps): void {
  const problems: string[] = [];
  if (props.subnetIds.length < 3) problems.push(`subnetIds: ${props.subnetIds.length} subnets; Redshift Serverless needs at least 3, in distinct availability zones`);
  if (props.subnetAvailabilityZones.length !== props.subnetIds.length) {
    problems.push(`subnetAvailabilityZones: ${props.subnetAvailabilityZones.length} zones for ${props.subnetIds.length} subnets; give one zone per subnet`);
  } else if (new Set(props.subnetAvailabilityZones).size !== props.subnetAvailabilityZones.length) {
    problems.push(`subnetAvailabilityZones: ${JSON.stringify(props.subnetAvailabilityZones)} repeats a zone; each subnet must be in its own zone`);
  }
  for (const [field, value] of [["baseCapacityRpu", props.baseCapacityRpu], ["maxCapacityRpu", props.maxCapacityRpu]] as const) {
    if (!Number.isInteger(value) || value < 8 || value > 1024 || value % 8 !== 0) problems.push(`${field}: ${value}; valid: a multiple of 8 between 8 and 1024`);
  }
  if (props.maxCapacityRpu < props.baseCapacityRpu) problems.push(`maxCapacityRpu: ${props.maxCapacityRpu}; must be >= baseCapacityRpu (${props.baseCapacityRpu})`);
  if (props.usageLimits.length === 0) problems.push("usageLimits: []; at least one limit is required (the cost brake)");
  const periods = props.usageLimits.map((l) => l.period);
  if (new Set(periods).size !== periods.length) problems.push(`usageLimits: periods ${JSON.stringify(periods)} repeat; Redshift allows one limit per period and usage type`);
  if (props.snapshotRetentionDays !== undefined && (!Number.isInteger(props.snapshotRetentionDays) || props.snapshotRetentionDays < 1 || props.snapshotRetentionDays > 3653)) {
    problems.push(`snapshotRetentionDays: ${props.snapshotRetentionDays}; valid: 1 to 3653 days`);
  }
  if (!props.tempPrefix.endsWith("/")) problems.push(`tempPrefix: ${JSON.stringify(props.tempPrefix)}; must end in "/"`);
  for (const pipeline of props.pipelines) {
    const warehouse = pipeline.contract.warehouse;
    if (warehouse && warehouse.schema !== (props.schemaName ?? DEFAULT_SCHEMA)) {
      problems.push(`pipelines[${pipeline.name}].contract.warehouse.schema: ${JSON.stringify(warehouse.schema)}; valid: ${JSON.stringify(props.schemaName ?? DEFAULT_SCHEMA)}, the schema the users are granted`);
    }
    if (pipeline.biSource === undefined) continue;
    const valid = warehouse ? ["table", ...warehouse.materialized_views.map((v) => v.name)] : [];
    if (!valid.includes(pipeline.biSource)) {
      problems.push(`pipelines[${pipeline.name}].biSource: ${JSON.stringify(pipeline.biSource)}; valid: ${valid.length ? valid.join(", ") : "nothing (the pipeline has no warehouse section)"}`);
    }
  }
  if (problems.length) throw new Error(`Invalid warehouse props:\n  - ${problems.join("\n  - ")}`);
}
