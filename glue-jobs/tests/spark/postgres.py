"""A throwaway PostgreSQL cluster on loopback for the warehouse side of the Spark suite.

`initdb` in a temporary directory, a free 127.0.0.1 port, trust authentication (nothing listens
beyond loopback), fsync off. PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` user through `runuser`. `stop()` (registered with atexit by `shared_cluster`) stops the
server and removes the directory, whatever the tests did.
"""
from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Optional

from .runtime import POSTGRES_INSTALL, PrerequisiteError, postgres_bindir

DATABASE = "analytics"
SUPERUSER = "postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    def __init__(self, bindir: Optional[Path] = None) -> None:
        self.bindir = bindir or postgres_bindir()
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="dp-pg-"))
        self.data = self.root / "data"
        self._as_root = os.geteuid() == 0
        self._running = False

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", SUPERUSER, "--"] if self._as_root else []
        result = subprocess.run(prefix + list(command), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PrerequisiteError(f"{' '.join(command[:2])} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
        return result

    def start(self) -> "PostgresCluster":
        if self._as_root:
            try:
                owner = pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise PrerequisiteError(f"running as root needs the `{SUPERUSER}` user that the server package creates: {POSTGRES_INSTALL}") from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        self._running = True
        self.execute(f"CREATE DATABASE {DATABASE}", database="postgres")
        return self

    def stop(self) -> None:
        if self._running:
            self._running = False
            prefix = ["runuser", "-u", SUPERUSER, "--"] if self._as_root else []
            subprocess.run(prefix + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://127.0.0.1:{self.port}"

    def connect(self, database: str = DATABASE, user: str = SUPERUSER, autocommit: bool = True) -> Any:
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, dbname=database, user=user, autocommit=autocommit)

    def execute(self, sql: str, database: str = DATABASE, user: str = SUPERUSER) -> None:
        with self.connect(database, user) as connection:
            connection.execute(sql)

    def query(self, sql: str, params: tuple[Any, ...] = (), database: str = DATABASE) -> list[tuple[Any, ...]]:
        with self.connect(database) as connection:
            return list(connection.execute(sql, params).fetchall())


_CLUSTER: Optional[PostgresCluster] = None


def shared_cluster() -> PostgresCluster:
    """One cluster per test process, stopped at exit."""
    global _CLUSTER
    if _CLUSTER is None:
        _CLUSTER = PostgresCluster()
        atexit.register(_CLUSTER.stop)
        _CLUSTER.start()
    return _CLUSTER
