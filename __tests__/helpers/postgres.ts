import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL server, for tests that run the platform's SQL for real. Started and
 * stopped by `glue-jobs/local/glue_local/throwaway_postgres.py`, exactly as the Spark suite starts its own:
 * a fresh directory, a free loopback port, run as the `postgres` user when the tests run as root,
 * stopped after the tests and, failing that, when this process exits. Without PostgreSQL's server
 * programs (Debian: `apt-get install -y postgresql`, which `.ci/run` does) the test fails with that
 * command. Statements go through `psql` over the server's Unix socket.
 */

const REPOSITORY = join(__dirname, "..", "..");
const SERVER_SCRIPT = join(REPOSITORY, "glue-jobs", "local", "glue_local", "throwaway_postgres.py");
const PYTHON = process.env.DP_PYTHON ?? "python3";
/** The database `initdb` creates. */
const DATABASE = "postgres";

/**
 * What PostgreSQL lacks of Redshift for the statements the platform generates: the Spark suite's
 * adapter (`glue-jobs/local/awsglue/_redshift.py` documents each rule), read from the
 * one file both use.
 */
interface RedshiftOnPostgres {
  readonly remove: readonly string[];
  readonly replace: readonly (readonly [string, string])[];
  readonly session: readonly string[];
  readonly functions: readonly string[];
}
export const REDSHIFT_ON_POSTGRES: RedshiftOnPostgres = JSON.parse(readFileSync(join(REPOSITORY, "glue-jobs", "local", "awsglue", "redshift_on_postgres.json"), "utf8"));

/** The statement PostgreSQL runs for a Redshift statement (the Spark suite's `redshift_to_postgres`). */
export function redshiftToPostgres(sql: string): string {
  const removed = REDSHIFT_ON_POSTGRES.remove.reduce((text, pattern) => text.replace(new RegExp(pattern, "gi"), ""), sql);
  return REDSHIFT_ON_POSTGRES.replace.reduce((text, [from, to]) => text.replace(new RegExp(from, "gi"), to), removed);
}

export interface PostgresServer {
  /** Runs SQL (one or more statements, each in its own transaction, like the Data API) as `user`; returns psql's unaligned output. */
  sql(text: string, user?: string): string;
  /** Like `sql`, but returns the error text instead of throwing; undefined when the SQL succeeded. */
  error(text: string, user?: string): string | undefined;
  stop(): void;
}

function serverCommand(args: string[]): string {
  const result = spawnSync(PYTHON, [SERVER_SCRIPT, ...args], { encoding: "utf8" });
  if (result.error) throw new Error(`${PYTHON} could not start (${result.error.message}): the tests need Python 3; set DP_PYTHON to one`);
  if (result.status !== 0) throw new Error(`throwaway PostgreSQL ${args[0]} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

export function startPostgres(): PostgresServer {
  const { root, port, superuser } = JSON.parse(serverCommand(["start"])) as { root: string; port: number; superuser: string };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stop);
    serverCommand(["stop", root]);
  };
  process.on("exit", stop);

  let statements = 0;
  const psql = (text: string, user: string) => {
    const file = join(root, `statement-${process.pid}-${(statements += 1)}.sql`);
    writeFileSync(file, text);
    chmodSync(file, 0o644);
    return spawnSync("psql", ["-h", root, "-p", String(port), "-U", user, "-d", DATABASE, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", file], { encoding: "utf8" });
  };
  return {
    sql(text, user = superuser) {
      const result = psql(text, user);
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
      return result.stdout.trim();
    },
    error(text, user = superuser) {
      const result = psql(text, user);
      return result.status === 0 ? undefined : result.stderr;
    },
    stop,
  };
}
