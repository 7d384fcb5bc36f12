/**
 * A QuickSight data set as plain data, derived from the warehouse relation it reads: which input
 * columns QuickSight declares (names and types must match Redshift's), and the logical columns
 * authors and QuickSight Q see (friendly names, descriptions, geographic roles).
 */

/** QuickSight's input column types (API_InputColumn.Type). */
export const QUICKSIGHT_INPUT_TYPES = ["STRING", "INTEGER", "DECIMAL", "DATETIME", "BIT", "BOOLEAN", "JSON"] as const;
export type QuickSightInputType = (typeof QUICKSIGHT_INPUT_TYPES)[number];

/** QuickSight's geographic roles (API_ColumnTag.ColumnGeographicRole). */
export const GEOGRAPHIC_ROLES = ["COUNTRY", "STATE", "COUNTY", "CITY", "POSTCODE", "LONGITUDE", "LATITUDE"] as const;
export type GeographicRole = (typeof GEOGRAPHIC_ROLES)[number];

/** API_ColumnDescription.Text is at most 500 characters. */
export const MAX_COLUMN_DESCRIPTION = 500;
/** Physical and logical table map ids: 1-64 characters of `[0-9a-zA-Z-]`. */
const TABLE_MAP_ID = /^[0-9a-zA-Z-]{1,64}$/;

export class BiDefinitionError extends Error {
  override readonly name = "BiDefinitionError";
}

/**
 * The QuickSight type of a contract column type (`string | int | long | double | boolean |
 * decimal(p,s) | date | timestamp`), as Redshift returns it to QuickSight.
 */
export function quicksightInputType(contractType: string, where = "column type"): QuickSightInputType {
  if (contractType === "string") return "STRING";
  if (contractType === "int" || contractType === "long") return "INTEGER";
  if (contractType === "double" || /^decimal\(\d{1,2},\d{1,2}\)$/.test(contractType)) return "DECIMAL";
  if (contractType === "boolean") return "BOOLEAN";
  if (contractType === "date" || contractType === "timestamp") return "DATETIME";
  throw new BiDefinitionError(
    `${where}: ${JSON.stringify(contractType)} has no QuickSight type; valid contract types are string, int, long, double, decimal(p,s), boolean, date, timestamp`,
  );
}

/** `country_name` → `Country name`: what authors and QuickSight Q read instead of the SQL name. */
export function friendlyColumnName(name: string): string {
  const words = name.split("_").filter((w) => w.length > 0).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface BiColumnInput {
  /** Column name in the warehouse relation. */
  readonly name: string;
  /** Contract type (`string`, `long`, `decimal(10,2)`, ...). */
  readonly type: string;
  /** Becomes the QuickSight column description (shown to authors, used by Q). */
  readonly description: string;
  /** Geographic role, for map visuals. @default none */
  readonly geographicRole?: GeographicRole;
  /** Alternative words for QuickSight Q; they live on the Q topic, not the data set. @default none */
  readonly synonyms?: readonly string[];
}

export interface BiDataSetInput {
  /** Stable key (the pipeline name); also the data set identifier inside analyses. */
  readonly key: string;
  /** QuickSight data set id (see `Namer`). */
  readonly dataSetId: string;
  /** Display name in QuickSight. */
  readonly displayName: string;
  /** Warehouse schema of the relation. */
  readonly schema: string;
  /** Table or materialized view the data set reads. */
  readonly relation: string;
  /** What the relation is, for the docs and the Q topic. */
  readonly relationKind: "table" | "materialized_view";
  /** Columns of the relation, in order. */
  readonly columns: readonly BiColumnInput[];
}

export interface DataSetColumn {
  /** Name in Redshift: the input column. */
  readonly source: string;
  /** Name in QuickSight after the friendly rename: what analyses reference. */
  readonly name: string;
  readonly inputType: QuickSightInputType;
  readonly description: string;
  readonly geographicRole?: GeographicRole;
  readonly synonyms: readonly string[];
}

export interface DataSetModel extends Omit<BiDataSetInput, "columns"> {
  /** `physical_table_map` id, from the relation name. */
  readonly physicalTableId: string;
  /** `logical_table_map` id. */
  readonly logicalTableId: string;
  readonly columns: readonly DataSetColumn[];
}

/** Checks one data set input and derives its model; throws naming the data set, field and value. */
export function dataSetModel(input: BiDataSetInput): DataSetModel {
  const where = `bi data set "${input.key}"`;
  if (input.columns.length === 0) throw new BiDefinitionError(`${where}: columns is empty; a data set needs at least one column of ${input.schema}.${input.relation}`);
  const seen = new Set<string>();
  const columns = input.columns.map((c, i) => {
    const at = `${where}: columns[${i}] (${JSON.stringify(c.name)})`;
    if (seen.has(c.name)) throw new BiDefinitionError(`${at}: duplicate column name; each column of ${input.relation} appears once`);
    seen.add(c.name);
    if (c.description.length === 0 || c.description.length > MAX_COLUMN_DESCRIPTION) {
      throw new BiDefinitionError(`${at}: description is ${c.description.length} characters; QuickSight takes 1-${MAX_COLUMN_DESCRIPTION}`);
    }
    if (c.geographicRole !== undefined && !GEOGRAPHIC_ROLES.includes(c.geographicRole)) {
      throw new BiDefinitionError(`${at}: geographicRole ${JSON.stringify(c.geographicRole)} is not one of ${GEOGRAPHIC_ROLES.join(", ")}`);
    }
    return {
      source: c.name,
      name: friendlyColumnName(c.name),
      inputType: quicksightInputType(c.type, `${at}: type`),
      description: c.description,
      ...(c.geographicRole ? { geographicRole: c.geographicRole } : {}),
      synonyms: [...(c.synonyms ?? [])],
    };
  });
  const physicalTableId = input.relation.replace(/_/g, "-");
  if (!TABLE_MAP_ID.test(physicalTableId)) {
    throw new BiDefinitionError(`${where}: relation ${JSON.stringify(input.relation)} gives table map id ${JSON.stringify(physicalTableId)}; QuickSight takes 1-64 letters, digits and hyphens`);
  }
  return { ...input, physicalTableId, logicalTableId: `${physicalTableId}-logical`.slice(0, 64), columns };
}

/** The column of a data set with the given warehouse name; throws naming what needed it. */
export function columnOf(model: DataSetModel, source: string, neededFor: string): DataSetColumn {
  const column = model.columns.find((c) => c.source === source);
  if (!column) {
    throw new BiDefinitionError(
      `${neededFor} needs column "${source}", which data set "${model.key}" (${model.schema}.${model.relation}) does not have; its columns: ${model.columns.map((c) => c.source).join(", ")}`,
    );
  }
  return column;
}

/** `physical_table_map`: the relation, read in place by Direct Query. */
export function physicalTableMap(model: DataSetModel, dataSourceArn: string) {
  return [
    {
      physicalTableMapId: model.physicalTableId,
      relationalTable: {
        dataSourceArn,
        schema: model.schema,
        name: model.relation,
        inputColumns: model.columns.map((c) => ({ name: c.source, type: c.inputType })),
      },
    },
  ];
}

/**
 * `logical_table_map`: descriptions and geographic roles tagged on the warehouse names first, then
 * friendly renames, then a projection that fixes the output columns (what analyses may reference).
 */
export function logicalTableMap(model: DataSetModel) {
  const tags = model.columns.map((c) => ({
    tagColumnOperation: {
      columnName: c.source,
      tags: [...(c.geographicRole ? [{ columnGeographicRole: c.geographicRole }] : []), { columnDescription: { text: c.description } }],
    },
  }));
  const renames = model.columns
    .filter((c) => c.name !== c.source)
    .map((c) => ({ renameColumnOperation: { columnName: c.source, newColumnName: c.name } }));
  const project = { projectOperation: { projectedColumns: model.columns.map((c) => c.name) } };
  return [
    {
      logicalTableMapId: model.logicalTableId,
      alias: model.displayName.slice(0, 64),
      source: { physicalTableId: model.physicalTableId },
      dataTransforms: [...tags, ...renames, project],
    },
  ];
}
