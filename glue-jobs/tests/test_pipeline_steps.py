"""Partitions, de-duplication, reference join and refresh, transform checks."""
from __future__ import annotations

import unittest
from datetime import datetime, timedelta, timezone

from platform_etl.contract import ContractError, load_contract
from platform_etl.dedup import deduplicate
from platform_etl.outputs import check_output_columns, derive_sink_columns, spark_ddl_schema
from platform_etl.partitions import partition_expressions, partition_path, partition_values
from platform_etl.records import validate_record
from platform_etl.reference import (
    ReferenceDataError, RefreshPolicy, index_reference, left_join, read_csv_rows, read_json_lines, reference_uri,
)
from platform_etl.sql import TransformError, check_result_columns, check_transform_sql, referenced_relations
from tests.helpers import contract_document, fixture_contract

UTC = timezone.utc


class PartitionTest(unittest.TestCase):
    def test_utc_conversion_crosses_the_day(self) -> None:
        contract = fixture_contract("attendees")
        record = validate_record(b'{"attendee_id": "a", "email": "e@x.io", "full_name": "A", "ticket_type": "vip", '
                                 b'"registered_at": "2026-03-07T01:30:00+02:00"}', contract)
        assert isinstance(record, dict)
        values = partition_values(record["registered_at"])
        self.assertEqual(values, {"year": "2026", "month": "03", "day": "06", "hour": "23"})
        self.assertEqual(partition_path(values, contract.lake.partition_keys), "year=2026/month=03/day=06/hour=23")

    def test_zero_padding_and_aware_input(self) -> None:
        moment = datetime(987, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=-1)))
        self.assertEqual(partition_values(moment), {"year": "0987", "month": "01", "day": "02", "hour": "04"})
        with self.assertRaises(ValueError):
            partition_values(datetime(2026, 1, 1))

    def test_spark_expressions(self) -> None:
        self.assertEqual(partition_expressions("registered_at", ["year", "hour"]),
                         ["date_format(`registered_at`, 'yyyy') AS `year`", "date_format(`registered_at`, 'HH') AS `hour`"])


class DedupTest(unittest.TestCase):
    def test_latest_wins_ties_keep_first_seen(self) -> None:
        t1, t2 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
        records = [
            {"id": "a", "t": t1, "v": 1},
            {"id": "b", "t": t1, "v": 2},
            {"id": "a", "t": t2, "v": 3},
            {"id": "b", "t": t1, "v": 4},
            {"id": "a", "t": t1, "v": 5},
        ]
        self.assertEqual([r["v"] for r in deduplicate(records, "id", "t")], [3, 2])
        self.assertEqual(deduplicate([], "id", "t"), [])


COUNTRIES_CSV = "code,name,region\nFR,France,Europe\nJP,Japan,\n"


class ReferenceTest(unittest.TestCase):
    def setUp(self) -> None:
        self.contract = fixture_contract("attendees")
        self.countries = self.contract.references[0]

    def test_readers(self) -> None:
        self.assertEqual(read_csv_rows(COUNTRIES_CSV)[1], {"code": "JP", "name": "Japan", "region": None})
        self.assertEqual(read_json_lines('{"id": "s1"}\n\n{"id": "s2"}\n'), [{"id": "s1"}, {"id": "s2"}])
        with self.assertRaises(ReferenceDataError):
            read_json_lines("[1]\n")

    def test_left_join_adds_as_columns(self) -> None:
        index = index_reference(read_csv_rows(COUNTRIES_CSV), self.countries)
        events = [{"attendee_id": "1", "country_code": "FR"}, {"attendee_id": "2", "country_code": "DE"},
                  {"attendee_id": "3", "country_code": None}]
        joined = left_join(events, self.countries, index)
        self.assertEqual(joined[0], {"attendee_id": "1", "country_code": "FR", "country_name": "France", "region": "Europe"})
        self.assertEqual(joined[1]["country_name"], None)
        self.assertEqual(joined[2], {"attendee_id": "3", "country_code": None, "country_name": None, "region": None})
        self.assertNotIn("country_name", events[0], "the join must not mutate its input")

    def test_a_null_event_key_matches_no_reference_row_not_even_an_empty_key(self) -> None:
        sessions = fixture_contract("session_checkins").references[0]
        index = index_reference(read_json_lines('{"id": "", "title": "no key", "room": "r"}\n'
                                                '{"id": "S1", "title": "Keynote", "room": "Main"}\n'), sessions)
        rows = left_join([{"session_id": None}, {"session_id": "S1"}, {"session_id": ""}], sessions, index)
        self.assertEqual([r["session_title"] for r in rows], [None, "Keynote", "no key"])

    def test_duplicate_keys_are_refused(self) -> None:
        with self.assertRaisesRegex(ReferenceDataError, "'FR'"):
            index_reference(read_csv_rows(COUNTRIES_CSV + "FR,Francia,Europe\n"), self.countries)

    def test_reference_columns_are_typed(self) -> None:
        document = contract_document("attendees")
        document["references"][0]["columns"].append({"name": "pop", "as": "population", "type": "long", "description": None})
        document["lake"]["columns"].insert(12, {"name": "population", "type": "long", "description": None})
        document["warehouse"]["columns"].insert(12, {"name": "population", "type": "long", "description": None})
        reference = load_contract(document).references[0]
        index = index_reference([{"code": "FR", "pop": "68000000"}, {"code": "XX", "pop": "many"}], reference)
        self.assertEqual(index["FR"]["population"], 68_000_000)
        self.assertIsNone(index["XX"]["population"])

    def test_uri(self) -> None:
        self.assertEqual(reference_uri(self.countries, "ref-bucket"), "s3://ref-bucket/countries/countries.csv")
        sessions = fixture_contract("session_checkins").references[0]
        self.assertEqual(reference_uri(sessions, "ignored"), "s3://example-reference/sessions/")

    def test_refresh_policy(self) -> None:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        policy = RefreshPolicy(15)
        self.assertTrue(policy.is_due(now))
        self.assertFalse(policy.record_failure(now), "nothing to fall back on before the first load")
        policy.record_load(now)
        self.assertFalse(policy.is_due(now + timedelta(minutes=14)))
        self.assertTrue(policy.is_due(now + timedelta(minutes=15)))
        self.assertTrue(policy.record_failure(now + timedelta(minutes=15)))
        self.assertTrue(policy.is_due(now + timedelta(minutes=16)), "a failure retries next batch")
        every_batch = RefreshPolicy(0, loaded_at=now)
        self.assertTrue(every_batch.is_due(now))
        with self.assertRaises(ValueError):
            RefreshPolicy(-1)


class TransformSqlTest(unittest.TestCase):
    def test_known_views_pass(self) -> None:
        check_transform_sql(fixture_contract("attendees").transform.sql, ["countries"])  # type: ignore[union-attr]
        check_transform_sql(
            "WITH vip AS (SELECT * FROM events WHERE ticket_type = 'vip') "
            "SELECT e.*, c.name AS n FROM events e LEFT JOIN Countries c ON e.country_code = c.code, vip "
            "WHERE extract(year FROM e.registered_at) > 2000 -- FROM secrets",
            ["countries"],
        )

    def test_unknown_views_fail(self) -> None:
        for sql in ("SELECT * FROM events JOIN users ON 1 = 1",
                    "SELECT * FROM events, `secret_table`",
                    "SELECT * FROM events WHERE id IN (SELECT id FROM other)",
                    "SELECT * FROM prod.events"):
            with self.subTest(sql), self.assertRaises(TransformError):
                check_transform_sql(sql, ["countries"])

    def test_single_select_only(self) -> None:
        for sql in ("DROP TABLE events", "SELECT 1 FROM events; DELETE FROM events", "  "):
            with self.subTest(sql), self.assertRaises(TransformError):
                check_transform_sql(sql, [])
        check_transform_sql("SELECT * FROM events;", [])

    def test_strings_and_comments_are_ignored(self) -> None:
        self.assertEqual(referenced_relations("SELECT 'from x' FROM events /* join y */"), ["events"])

    def test_result_columns(self) -> None:
        check_result_columns(["b", "a", "is_vip"], ["a", "b"], ["is_vip"])
        for result in (["a", "is_vip"], ["a", "b", "is_vip", "x"], ["a", "b", "b", "is_vip"]):
            with self.subTest(result), self.assertRaises(TransformError):
                check_result_columns(result, ["a", "b"], ["is_vip"])


class OutputColumnsTest(unittest.TestCase):
    def test_fixtures_match_their_derivation(self) -> None:
        for name in ("attendees", "session_checkins"):
            check_output_columns(fixture_contract(name))

    def test_drop_and_string_typing(self) -> None:
        lake = dict(derive_sink_columns(fixture_contract("session_checkins"), "lake"))
        warehouse = dict(derive_sink_columns(fixture_contract("session_checkins"), "warehouse"))
        self.assertIn("scanner_ip", lake)
        self.assertNotIn("scanner_ip", warehouse)
        self.assertEqual(list(warehouse)[-2:], ["session_title", "room"])

    def test_mismatch_is_a_clear_error(self) -> None:
        document = contract_document("attendees")
        document["warehouse"]["columns"].pop(3)
        with self.assertRaisesRegex(ContractError, "warehouse.columns"):
            check_output_columns(load_contract(document))
        document = contract_document("session_checkins")
        document["warehouse"]["columns"].insert(3, {"name": "scanner_ip", "type": "string", "description": None})
        with self.assertRaisesRegex(ContractError, "regenerate"):
            check_output_columns(load_contract(document))

    def test_spark_schema(self) -> None:
        self.assertEqual(spark_ddl_schema([("a", "decimal(10,2)"), ("b", "long"), ("c`d", "timestamp")]),
                         "`a` DECIMAL(10,2), `b` BIGINT, `c``d` TIMESTAMP")


if __name__ == "__main__":
    unittest.main()
