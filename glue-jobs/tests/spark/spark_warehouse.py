"""The warehouse load through the Redshift connector: staging with the target's types, the MERGE and
its newest-wins guard, one staging table per job, view refreshes that see the MERGE, all as the ETL
writer on the warehouse the platform's migrations build, with no privilege beyond the load's."""
from __future__ import annotations

import unittest

from . import postgres
from .world import World, golden_contract, record, variant

# The notes keep their text in the warehouse (partial mask): a 4,000-byte value reaches the table.
WIDE_NOTES = variant(golden_contract("attendees"),
                     lambda doc: next(rule for rule in doc["sensitive"] if rule["field"] == "notes").update(warehouse="partial"))
FOUR_THOUSAND_BYTES = "\U0001F600" * 1000  # 1,000 characters, 4 bytes each in UTF-8
FOUR_HUNDRED_BYTES = "é" * 200


class WarehouseLoadTest(unittest.TestCase):
    def test_strings_longer_than_256_bytes_load_into_the_targets_columns(self) -> None:
        with World("attendees", contract=WIDE_NOTES) as world:
            world.put([record("w1", "2026-03-07T10:00:00Z", notes=FOUR_THOUSAND_BYTES, company=FOUR_HUNDRED_BYTES)])
            world.run_streaming()
            row = world.warehouse_rows()[0]
            self.assertEqual(len(row["notes"].encode("utf-8")), 4000)
            self.assertEqual((row["notes"], row["company"]), (FOUR_THOUSAND_BYTES, FOUR_HUNDRED_BYTES))

    def test_each_job_has_its_own_staging_table_created_like_the_target(self) -> None:
        with World("attendees") as world:
            world.put([record("s1", "2026-03-07T10:00:00Z")])
            world.run_streaming()
            world.drop_file("2026/03/07/drop.jsonl", (record_json("s2", "2026-03-07T11:00:00Z") + "\n").encode())
            world.run_batch()
            target = world.warehouse_column_types("attendees")
            staging = {name: world.warehouse_column_types(name) for name in ("attendees_staging_streaming", "attendees_staging_batch")}
            self.assertEqual(staging, {name: target for name in staging})
            self.assertEqual({r["attendee_id"] for r in world.warehouse_rows()}, {"s1", "s2"})

    def test_the_newest_wins_guard_is_its_own_statement_before_an_unconditional_merge(self) -> None:
        with World("attendees") as world:
            world.put([record("g1", "2026-03-07T10:00:00Z", company="new")])
            world.put([record("g1", "2026-03-07T09:00:00Z", company="old")])
            world.run_streaming()
            self.assertEqual(world.warehouse_rows()[0]["company"], "new")
            statements = world.glue.redshift_statements
            guard = next(i for i, s in enumerate(statements) if s.startswith("DELETE FROM") and " USING " in s)
            merge = next(i for i, s in enumerate(statements) if s.startswith("MERGE INTO"))
            self.assertLess(guard, merge)
            self.assertFalse(any("WHEN MATCHED AND" in s for s in statements), "Redshift's MERGE has no WHEN MATCHED AND")

    def test_views_are_refreshed_after_the_merge_commits(self) -> None:
        with World("attendees") as world:
            world.put([record("v1", "2026-03-07T10:00:00Z", country_code="DE"), record("v2", "2026-03-07T10:00:00Z", country_code="DE")])
            world.run_streaming()
            view = world.contract["warehouse"]["materialized_views"][0]["name"]
            self.assertEqual([(r["country_code"], r["attendee_count"]) for r in world.warehouse_rows(view)], [("DE", 2)])
            self.assertFalse(any(s.startswith("REFRESH") for s in world.glue.redshift_statements),
                             "no refresh inside the load's transaction, where it cannot see the MERGE")

    def test_the_writer_may_do_what_the_load_does_and_nothing_more(self) -> None:
        with World("attendees") as world:
            world.put([record("p1", "2026-03-07T10:00:00Z")])
            world.run_streaming()
            cluster = postgres.shared_cluster()
            owners = dict(cluster.query("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'data_platform'", database=world.database))
            # The migrations (run as the admin) own the table; the writer owns what it creates: its staging table.
            self.assertEqual(owners, {"attendees": "postgres", "dp_schema_migrations": "postgres", "attendees_staging_streaming": world.writer})
            views = dict(cluster.query("SELECT matviewname, matviewowner FROM pg_matviews WHERE schemaname = 'data_platform'", database=world.database))
            self.assertEqual(views, {"attendees_by_country": world.writer}, "only a view's owner may refresh it")
            granted = [privilege for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
                       if cluster.query("SELECT has_table_privilege(%s, 'data_platform.attendees', %s)", (world.writer, privilege), database=world.database)[0][0]]
            # The MERGE updates and inserts (Redshift: "UPDATE, DELETE, and INSERT permissions ... depending on the operations
            # included in your MERGE statement"); the newest-wins guard deletes from staging only.
            self.assertEqual(granted, ["SELECT", "INSERT", "UPDATE"])
            import psycopg

            for statement in ('DROP TABLE "data_platform"."attendees"', 'TRUNCATE "data_platform"."attendees"', 'DELETE FROM "data_platform"."attendees"',
                              'ALTER TABLE "data_platform"."attendees" ADD COLUMN "x" INTEGER', 'DELETE FROM "data_platform"."dp_schema_migrations"'):
                with self.subTest(statement=statement), self.assertRaises(psycopg.errors.InsufficientPrivilege):
                    cluster.execute(statement, database=world.database, user=world.writer)
            self.assertEqual([r["attendee_id"] for r in world.warehouse_rows()], ["p1"])


def record_json(attendee_id: str, registered_at: str) -> str:
    import json

    return json.dumps(record(attendee_id, registered_at))


if __name__ == "__main__":
    unittest.main()
