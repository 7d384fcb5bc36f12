/**
 * Words that break an unquoted identifier somewhere in the platform. Field, table and view names
 * must avoid all of them, so that analysts can write plain SQL in Athena and Redshift alike.
 */

/** Amazon Redshift reserved words (Database Developer Guide, "Reserved words"). */
export const REDSHIFT_RESERVED = new Set(
  `aes128 aes256 all allowoverwrite analyse analyze and any array as asc authorization az64 backup between binary
  blanksasnull both bytedict bzip2 case cast check collate column constraint create credentials cross current_date
  current_time current_timestamp current_user current_user_id default deferrable deflate defrag delta delta32k desc
  disable distinct do else emptyasnull enable encode encrypt encryption end except explicit false for foreign freeze
  from full globaldict256 globaldict64k grant group gzip having identity ignore ilike in initially inner intersect
  interval into is isnull join language leading left like limit localtime localtimestamp lun luns lzo lzop minus
  mostly16 mostly32 mostly8 natural new not notnull null nulls off offline offset oid old on only open or order outer
  overlaps parallel partition percent permissions pivot placing primary raw readratio recover references rejectlog
  resort respect restore right select session_user similar snapshot some sysdate system table tag tdes text255
  text32k then timestamp to top trailing true truncatecolumns union unique unnest unpivot user using verbose wallet
  when where with without`.split(/\s+/),
);

/** Athena (Hive DDL and Trino DML) reserved words. */
export const ATHENA_RESERVED = new Set(
  `all alter and array as authorization between bigint binary boolean both by case cache cast char column conf
  constraint commit create cross cube current current_date current_time current_timestamp cursor database date
  dayofweek decimal delete describe distinct div double drop else end escape except exchange exists extended external
  extract false fetch float floor following for foreign from full function grant group grouping having if import in
  inner insert int integer intersect interval into is join lateral left less like local localtime localtimestamp
  macro map more natural none normalize not null numeric of on only or order out outer over partialscan partition
  percent preceding precision preserve primary procedure range reads recursive reduce references regexp revoke right
  rlike rollback rollup row rows select set smallint start table tablesample then time timestamp to transform trigger
  true truncate unbounded union uniquejoin unnest update user using utc_timestamp values varchar views when where
  window with`.split(/\s+/),
);

/** Which engine refuses a name, or undefined when every engine takes it. */
export function reservedIn(name: string): string | undefined {
  const engines = [REDSHIFT_RESERVED.has(name) && "Redshift", ATHENA_RESERVED.has(name) && "Athena"].filter(Boolean);
  return engines.length ? engines.join(" and ") : undefined;
}
