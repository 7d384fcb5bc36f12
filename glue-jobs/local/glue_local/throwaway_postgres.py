"""PostgreSQL on loopback for everything that runs the platform's SQL for real: the Spark suite
(`glue_local.warehouse` builds on `PostgresServer`), jest's warehouse migration tests
(`__tests__/helpers/postgres.ts` runs this file's command line) and `npm run local`.

One way to start and stop it, whoever asks: `initdb` in a fresh temporary directory (trust
authentication: nothing listens beyond loopback; UTF-8, C locale, no fsync), a free 127.0.0.1 port,
the Unix socket in that same directory. PostgreSQL refuses to run as root, so as root the server
runs as the `postgres` user that Debian's package creates, through `runuser`. `stop()` stops it at
once and removes the directory; whoever starts a server stops it when its process exits (the Spark
suite with `atexit`, jest after its tests and on its worker's exit). A server started with
`keep=True` (a local run's warehouse) keeps its directory: it is initialised once, started again
on later runs and shut down cleanly. Standard library only: it runs under any Python 3, without
the project's virtual environment.

    python3 glue-jobs/local/glue_local/throwaway_postgres.py start       # prints {"root", "port", "host", "superuser"}
    python3 glue-jobs/local/glue_local/throwaway_postgres.py stop ROOT
"""
from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

# Debian 12's server: MERGE (the jobs' load) needs PostgreSQL 15 or later.
MIN_POSTGRES_MAJOR = 15
POSTGRES_INSTALL = "apt-get install -y postgresql (Debian/Ubuntu; PostgreSQL 15 or later)"
SUPERUSER = "postgres"
STATE_FILE = "server.json"


class PrerequisiteError(RuntimeError):
    """Something the tests need from the machine is missing or of the wrong version."""


def postgres_bindir(installations: Path = Path("/usr/lib/postgresql")) -> Path:
    """The directory of the PostgreSQL server binaries (initdb, pg_ctl, postgres)."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            candidates.append(Path(result.stdout.strip()))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    candidates += sorted(installations.glob("*/bin"), key=lambda p: _major(p.parent.name), reverse=True)
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    raise PrerequisiteError(f"no PostgreSQL server binaries (initdb, pg_ctl) found. Install them: {POSTGRES_INSTALL}")


def _major(text: str) -> int:
    return int(text) if text.isdigit() else 0


def postgres_version(bindir: Path) -> str:
    result = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"(\d+)(?:\.(\d+))?", result.stdout)
    if not match:
        raise PrerequisiteError(f"could not read the PostgreSQL version from {bindir / 'postgres'}: {result.stdout!r}")
    if int(match.group(1)) < MIN_POSTGRES_MAJOR:
        raise PrerequisiteError(f"PostgreSQL {match.group(0)} at {bindir}; the tests need {MIN_POSTGRES_MAJOR}+. Install: {POSTGRES_INSTALL}")
    return match.group(0)


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One server in its own temporary directory; `start()` then `stop()`."""

    def __init__(self, bindir: Optional[Path] = None, root: Optional[Path] = None, port: Optional[int] = None,
                 keep: bool = False) -> None:
        self.bindir = bindir or postgres_bindir()
        self.root = root or Path(tempfile.mkdtemp(prefix="dp-pg-"))
        self.port = port or free_loopback_port()
        self.data = self.root / "data"
        self.keep = keep
        # A kept server lives wherever its owner chose; its Unix socket goes to a short temporary
        # path (socket paths are limited to about 100 bytes).
        self.sockets = Path(tempfile.mkdtemp(prefix="dp-pg-s-")) if keep else self.root
        self._as_root = os.geteuid() == 0
        self._running = False

    @classmethod
    def attach(cls, root: Path) -> "PostgresServer":
        """The server another process started in `root` (to stop it)."""
        state = json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
        server = cls(Path(state["bindir"]), root, int(state["port"]))
        server._running = True
        return server

    def _as_superuser(self, *command: str) -> list[str]:
        return (["runuser", "-u", SUPERUSER, "--"] if self._as_root else []) + list(command)

    def _run(self, *command: str) -> None:
        result = subprocess.run(self._as_superuser(*command), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PrerequisiteError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> "PostgresServer":
        try:
            postgres_version(self.bindir)
            if self._as_root:
                try:
                    owner = pwd.getpwnam(SUPERUSER)
                except KeyError:
                    raise PrerequisiteError(f"running as root needs the `{SUPERUSER}` user that the server package creates: {POSTGRES_INSTALL}") from None
            self.root.mkdir(parents=True, exist_ok=True)
            for directory in {self.root, self.sockets}:
                if self._as_root:
                    os.chown(directory, owner.pw_uid, owner.pw_gid)
                directory.chmod(0o755)
            if self._as_root and subprocess.run(self._as_superuser("test", "-w", str(self.root)), check=False).returncode != 0:
                raise PrerequisiteError(f"the server runs as the `{SUPERUSER}` user (this process is root), which cannot reach "
                                        f"{self.root}: let others traverse its parent directories (chmod o+x), or use another directory")
            if not (self.keep and (self.data / "PG_VERSION").exists()):
                self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync")
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c fsync=off -c full_page_writes=off"
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
            self._running = True
            (self.root / STATE_FILE).write_text(json.dumps({"bindir": str(self.bindir), "port": self.port}), encoding="utf-8")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stops the server and removes its directory (immediate shutdown: its data is thrown away);
        a kept server shuts down cleanly and keeps its directory."""
        if self._running:
            self._running = False
            subprocess.run(self._as_superuser(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast" if self.keep else "immediate",
                                              "-w", "stop"), capture_output=True, check=False)
        shutil.rmtree(self.sockets, ignore_errors=True)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def description(self) -> dict[str, object]:
        """Where clients connect: TCP on 127.0.0.1 (JDBC) or the socket directory (psql `-h root`)."""
        return {"root": str(self.root), "port": self.port, "host": "127.0.0.1", "superuser": SUPERUSER}


def main(argv: list[str]) -> int:
    try:
        if argv == ["start"]:
            server = PostgresServer().start()
            sys.stdout.write(json.dumps(server.description()) + "\n")
            return 0
        if len(argv) == 2 and argv[0] == "stop":
            PostgresServer.attach(Path(argv[1])).stop()
            return 0
    except PrerequisiteError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    sys.stderr.write("usage: throwaway_postgres.py start | stop ROOT\n")
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
