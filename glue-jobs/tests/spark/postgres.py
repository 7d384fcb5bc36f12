"""The Spark suite's warehouse: one throwaway PostgreSQL server (`tests/throwaway_postgres.py`,
the same one jest's migration tests start) per test process, stopped at exit, with a database per
test and psycopg to set it up and read it back.
"""
from __future__ import annotations

import atexit
from typing import Any, Optional

from tests.throwaway_postgres import SUPERUSER, PostgresServer

DATABASE = "analytics"


class PostgresCluster(PostgresServer):
    def start(self) -> "PostgresCluster":
        super().start()
        self.execute(f"CREATE DATABASE {DATABASE}", database="postgres")
        return self

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
