"""PostgreSQL standing in for Redshift Serverless: a server with psycopg at hand, and a warehouse
database built the way a first deploy builds Redshift's.

`build_warehouse` runs, as the admin, each statement the warehouse module runs through the Data
API on a first deploy (bootstrap, the foundation migration with the users and grants, the
pipeline's migration with its table and the views the writer owns: `tests/golden/<pipeline>.warehouse.json`
for the suite, the same generator's output for a local run), each in its own session and
transaction, through the one Redshift-to-PostgreSQL adapter (`awsglue/_redshift.py`). The
migrations are recorded and skipped once applied, so building an existing warehouse again changes
nothing. The jobs then load as the writer, with only the privileges those migrations grant.
"""
from __future__ import annotations

from typing import Any, Sequence

from awsglue import _redshift

from .throwaway_postgres import SUPERUSER, PostgresServer

DATABASE = "analytics"


class PostgresCluster(PostgresServer):
    """A server with its `analytics` database, and psycopg connections to it."""

    def start(self) -> "PostgresCluster":
        super().start()
        self.create_database(DATABASE)
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

    def create_database(self, name: str) -> bool:
        """Creates `name` unless it exists; whether it was created."""
        if self.query("SELECT 1 FROM pg_database WHERE datname = %s", (name,), database="postgres"):
            return False
        self.execute(f'CREATE DATABASE "{name}"', database="postgres")
        return True


def build_warehouse(cluster: PostgresCluster, database: str, statements: Sequence[str]) -> None:
    """The warehouse as a first deploy leaves it (or, built before, as it was): every statement
    run as the admin, each in its own session and transaction, as the Data API runs them."""
    cluster.create_database(database)
    with cluster.connect(database) as connection:
        for function in _redshift.REDSHIFT_FUNCTIONS:
            connection.execute(function)
    for statement in statements:
        with cluster.connect(database) as connection:
            for setting in _redshift.SESSION_SETTINGS:
                connection.execute(setting)
            connection.execute(_redshift.redshift_to_postgres(statement))
