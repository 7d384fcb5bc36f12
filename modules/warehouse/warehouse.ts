import { GlueConnection } from "@cdktf/provider-aws/lib/glue-connection";
import { RedshiftdataStatement } from "@cdktf/provider-aws/lib/redshiftdata-statement";
import { RedshiftserverlessNamespace } from "@cdktf/provider-aws/lib/redshiftserverless-namespace";
import { RedshiftserverlessSnapshot } from "@cdktf/provider-aws/lib/redshiftserverless-snapshot";
import { RedshiftserverlessUsageLimit } from "@cdktf/provider-aws/lib/redshiftserverless-usage-limit";
import { RedshiftserverlessWorkgroup } from "@cdktf/provider-aws/lib/redshiftserverless-workgroup";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { baseCapacityProblem } from "../../lib/redshift-capacity";
import { ServiceRole } from "../../lib/service-role";
import { CredentialRotation } from "./credential-rotation";
import { DatabaseUser } from "./database-user";
import { STATEMENT_ARGUMENTS_READ_BACK, WarehouseUsers, bootstrapStatements, foundationMigration, migrationStatementName, pipelineMigration } from "./migrations";
import { redshiftRolePolicy } from "./redshift-role-policy";
import { WarehousePipelineInput, WarehouseProps, WarehouseUsageLimit } from "./warehouse-props";

export const REDSHIFT_PORT = 5439;
export const DEFAULT_SCHEMA = "data_platform";
export const DEFAULT_DATABASE = "analytics";
/** Every log Redshift Serverless can export: audit trail of connections, users and queries. */
export const LOG_EXPORTS = ["useractivitylog", "userlog", "connectionlog"];
/** The principals a Redshift Serverless namespace role must trust ("Granting permissions to Amazon Redshift Serverless"). */
export const REDSHIFT_ROLE_PRINCIPALS = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"] as const;

/** The database users the module creates unless its props name others. */
export const DEFAULT_WAREHOUSE_USERS: WarehouseUsers = { writer: "dp_etl_writer", reader: "dp_bi_reader" };

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

/** Where schema statements run, and as whom (the Redshift-managed admin). */
export interface StatementContext {
  readonly workgroupName: string;
  readonly database: string;
  /** The admin's secret, which Redshift manages: its ARN ends in a generated suffix. */
  readonly adminSecretArn: string;
  /** A new namespace is an empty database: every statement runs again there. */
  readonly namespaceId: string;
}

/**
 * One Data API statement, run as the admin, that survives the Data API forgetting it: the SQL's
 * hash and the namespace id are in `statement_name` (never read back, ForceNew), everything the
 * provider reads back is ignored. It runs again exactly when its SQL changes or the namespace is
 * new, and every statement is safe to run again (migrations.ts).
 */
export function migrationStatement(scope: Construct, id: string, sql: string, context: StatementContext, dependsOn: readonly ITerraformDependable[]): RedshiftdataStatement {
  return new RedshiftdataStatement(scope, id, {
    workgroupName: context.workgroupName,
    database: context.database,
    secretArn: context.adminSecretArn,
    sql,
    statementName: migrationStatementName(id, sql, context.namespaceId),
    ...(dependsOn.length ? { dependsOn: [...dependsOn] } : {}),
    lifecycle: { ignoreChanges: [...STATEMENT_ARGUMENTS_READ_BACK] },
  });
}

/** The construct id of a pipeline's migration statement (its address, wherever it is built). */
export const pipelineMigrationId = (pipeline: string): string => `migration-${pipeline}`;

/**
 * One pipeline's migration (table, comments, grants, views) as one statement, in `scope`; undefined
 * for a pipeline without a warehouse section. `dependsOn`: the foundation migration where it is in
 * the same stack (a pipeline's own stack comes after the core's, which runs it).
 */
export function pipelineMigrationStatement(
  scope: Construct,
  pipeline: WarehousePipelineInput,
  context: StatementContext & { readonly schema: string; readonly users: WarehouseUsers },
  dependsOn: readonly ITerraformDependable[] = [],
): RedshiftdataStatement | undefined {
  if (!pipeline.contract.warehouse) return undefined;
  const applied = pipelineMigration(context.schema, pipeline.contract, context.users, pipeline.biSource);
  return migrationStatement(scope, pipelineMigrationId(pipeline.name), applied.sql, context, dependsOn);
}

/**
 * Redshift Serverless in the private network: namespace (platform key, admin password kept by
 * Secrets Manager, default IAM role), workgroup (private, enhanced VPC routing, TLS required),
 * usage limits as the cost brake, the Glue connection the jobs load through, the ETL and BI users,
 * and the schema generated from the pipeline contracts.
 */
export class Warehouse extends Construct {
  readonly namespaceName: string;
  /** Generated by Redshift: a migration's name carries it, so a new namespace runs every migration again. */
  readonly namespaceId: string;
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
  /** The foundation migration: once it has run, both users exist (without passwords). */
  readonly foundation: RedshiftdataStatement;
  /** Per pipeline with a warehouse section: its one migration (table, comments, grants, views). */
  readonly migrations: Readonly<Record<string, RedshiftdataStatement>>;
  /** Each user's first rotation: once it has run, the user's secret holds a password the database knows. */
  readonly credentials: { readonly etlWriter: ITerraformDependable; readonly biReader: ITerraformDependable };

  private readonly statementContext: StatementContext;

  constructor(scope: Construct, id: string, props: WarehouseProps) {
    super(scope, id);
    validateWarehouseProps(props);
    const preventDestroy = props.preventDestroy ?? true;
    const database = props.databaseName ?? DEFAULT_DATABASE;
    const schema = props.schemaName ?? DEFAULT_SCHEMA;

    const { role, policy: rolePolicy } = new ServiceRole(this, "redshift-role", {
      roleName: props.redshiftRoleName,
      description: "Redshift Serverless: COPY/UNLOAD through the temp prefix, Spectrum over the curated zone",
      // "Granting permissions to Amazon Redshift Serverless": the trust must name both principals.
      service: REDSHIFT_ROLE_PRINCIPALS,
      accountId: props.accountId,
      region: props.region,
      policyName: "lake-access",
      permissionsBoundaryArn: props.permissionsBoundaryArn,
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
      dependsOn: [rolePolicy],
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
      username: props.etlWriterUsername ?? DEFAULT_WAREHOUSE_USERS.writer,
      secretName: props.secretNames.etlWriter,
      description: `Redshift user the Glue jobs load ${props.workgroupName} with`,
      kmsKeyArn: props.kmsKeyArn,
      preventDestroy,
    });
    const biReader = new DatabaseUser(this, "bi-reader", {
      username: props.biReaderUsername ?? DEFAULT_WAREHOUSE_USERS.reader,
      secretName: props.secretNames.biReader,
      description: `Read-only Redshift user QuickSight queries ${props.workgroupName} with`,
      kmsKeyArn: props.kmsKeyArn,
      preventDestroy,
    });

    this.endpointAddress = workgroup.endpoint.get(0).address;
    this.statementContext = {
      workgroupName: workgroup.workgroupName,
      database,
      adminSecretArn: namespace.adminPasswordSecretArn,
      namespaceId: namespace.namespaceId,
    };
    const users: WarehouseUsers = { writer: etlWriter.username, reader: biReader.username };
    const bootstrap = bootstrapStatements(schema).reduce<RedshiftdataStatement[]>(
      (done, { id: statementId, sql }) => [...done, this.statement(statementId, sql, done.slice(-1))],
      [],
    );
    const foundation = foundationMigration(schema, users);
    this.foundation = this.statement(`migration-${foundation.id}`, foundation.sql, bootstrap.slice(-1));
    const rotation = new CredentialRotation(this, "credential-rotation", {
      functionName: props.rotationFunctionName,
      roleName: props.rotationRoleName,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      logGroupName: props.rotationLogGroupName,
      accountId: props.accountId,
      region: props.region,
      kmsKeyArn: props.kmsKeyArn,
      logRetentionDays: props.logRetentionDays,
      workgroupName: workgroup.workgroupName,
      workgroupArn: workgroup.arn,
      database,
      adminSecretArn: namespace.adminPasswordSecretArn,
      users: [
        { id: "etl-writer", secretArn: etlWriter.secretArn, secretName: etlWriter.secretName },
        { id: "bi-reader", secretArn: biReader.secretArn, secretName: biReader.secretName },
      ],
      rotationDays: props.credentialRotationDays,
      // A password can only be set on a user that exists.
      dependsOn: [this.foundation],
    });
    this.credentials = { etlWriter: rotation.rotations["etl-writer"], biReader: rotation.rotations["bi-reader"] };

    const subnetIndex = 0;
    const connection = new GlueConnection(this, "glue-connection", {
      name: props.glueConnectionName,
      description: `JDBC to ${props.workgroupName}/${database}; credentials from the ETL writer's secret`,
      connectionType: "JDBC",
      connectionProperties: {
        JDBC_CONNECTION_URL: jdbcUrl(this.endpointAddress, REDSHIFT_PORT, database),
        JDBC_ENFORCE_SSL: "true",
        SECRET_ID: etlWriter.secret.name,
      },
      physicalConnectionRequirements: {
        subnetId: props.subnetIds[subnetIndex],
        availabilityZone: props.subnetAvailabilityZones[subnetIndex],
        securityGroupIdList: [props.glueSecurityGroupId],
      },
      // Glue hands the secret's value to the jobs: it must hold the password first.
      dependsOn: [this.credentials.etlWriter],
    });


    const tables: Record<string, WarehouseTableNames> = {};
    const migrations: Record<string, RedshiftdataStatement> = {};
    for (const pipeline of props.pipelines) {
      const warehouse = pipeline.contract.warehouse;
      const statement = pipelineMigrationStatement(this, pipeline, { ...this.statementContext, schema, users }, [this.foundation]);
      if (!warehouse || !statement) continue;
      migrations[pipeline.name] = statement;
      tables[pipeline.name] = { table: warehouse.table, stagingTable: warehouse.staging_table, materializedViews: warehouse.materialized_views.map((v) => v.name) };
    }
    this.migrations = migrations;
    this.tables = tables;

    this.namespaceName = namespace.namespaceName;
    this.namespaceId = namespace.namespaceId;
    this.workgroupName = workgroup.workgroupName;
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
    this.jobConnection = {
      connectionName: connection.name,
      database,
      connectionSecretArn: etlWriter.secretArn,
      tempDir: `s3://${props.tempBucketName}/${props.tempPrefix}`,
    };
  }

  private statement(id: string, sql: string, dependsOn: ITerraformDependable[]): RedshiftdataStatement {
    return migrationStatement(this, id, sql, this.statementContext, dependsOn);
  }

  /** What a pipeline's jobs need before they first run: its table and the writer's password. */
  pipelineReady(pipeline: string): ITerraformDependable[] {
    return [...(this.migrations[pipeline] ? [this.migrations[pipeline]] : []), this.credentials.etlWriter];
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
  const baseCapacity = baseCapacityProblem(props.baseCapacityRpu, props.region);
  if (baseCapacity) problems.push(`baseCapacityRpu: ${baseCapacity}`);
  if (!Number.isInteger(props.maxCapacityRpu) || props.maxCapacityRpu % 8 !== 0) problems.push(`maxCapacityRpu: ${props.maxCapacityRpu}; valid: a multiple of 8`);
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
