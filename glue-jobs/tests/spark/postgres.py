"""The Spark suite's warehouse: one PostgreSQL server (`glue_local.warehouse.PostgresCluster`, the
same server jest's migration tests start) per test process, stopped at exit, with a database per
test.
"""
from __future__ import annotations

import atexit
from typing import Optional

from glue_local.warehouse import PostgresCluster

_CLUSTER: Optional[PostgresCluster] = None


def shared_cluster() -> PostgresCluster:
    """One cluster per test process, stopped at exit."""
    global _CLUSTER
    if _CLUSTER is None:
        _CLUSTER = PostgresCluster()
        atexit.register(_CLUSTER.stop)
        _CLUSTER.start()
    return _CLUSTER
