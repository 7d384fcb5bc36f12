import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * A throwaway PostgreSQL server on a Unix socket, for tests that run the platform's SQL for real.
 * Needs PostgreSQL's server programs (Debian: `apt-get install -y postgresql`, which `.ci/run`
 * does); without them the test fails, naming that command. As root, the server runs as the
 * `postgres` user that the Debian package creates (PostgreSQL refuses to run as root).
 */
export const INSTALL_HINT = "PostgreSQL's server is not installed: run `apt-get install -y postgresql` (Debian), as .ci/run does";

function serverBinaries(): string {
  const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath.replace(/\/initdb$/, "");
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => existsSync(join(debian, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error(INSTALL_HINT);
  return join(debian, versions[0], "bin");
}

export interface PostgresServer {
  /** Runs SQL (one or more statements, each in its own transaction, like the Data API) as `user`; returns psql's unaligned output. */
  sql(text: string, user?: string): string;
  /** Like `sql`, but returns the error text instead of throwing; undefined when the SQL succeeded. */
  error(text: string, user?: string): string | undefined;
  stop(): void;
}

export function startPostgres(): PostgresServer {
  const bin = serverBinaries();
  const root = mkdtempSync(join(tmpdir(), "dp-pg-"));
  const data = join(root, "data");
  mkdirSync(data);
  const asRoot = userInfo().uid === 0;
  let runAs: string[] = [];
  if (asRoot) {
    const postgres = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    if (postgres.status !== 0) throw new Error(`running as root and there is no postgres user to run the server as. ${INSTALL_HINT}`);
    const uid = Number(postgres.stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    chownSync(root, uid, gid);
    chownSync(data, uid, gid);
    runAs = ["runuser", "-u", "postgres", "--"];
  }
  chmodSync(root, 0o755);
  chmodSync(data, 0o700);
  const run = (program: string, args: string[]) => {
    const [command, ...prefix] = [...runAs, join(bin, program)];
    execFileSync(command, [...prefix, ...args], { stdio: "pipe" });
  };
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = 20000 + Math.floor(Math.random() * 20000);
  run("pg_ctl", ["-D", data, "-w", "-l", join(root, "server.log"), "-o", `-k ${root} -p ${port} -c listen_addresses='' -c fsync=off`, "start"]);

  const psql = (text: string, user: string) => {
    const file = join(root, `statement-${process.hrtime.bigint()}.sql`);
    writeFileSync(file, text);
    chmodSync(file, 0o644);
    return spawnSync("psql", ["-h", root, "-p", String(port), "-U", user, "-d", "postgres", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", file], { encoding: "utf8" });
  };
  return {
    sql(text, user = "postgres") {
      const result = psql(text, user);
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
      return result.stdout.trim();
    },
    error(text, user = "postgres") {
      const result = psql(text, user);
      return result.status === 0 ? undefined : result.stderr;
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
