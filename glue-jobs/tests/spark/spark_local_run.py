"""`npm run local` as a user runs it: the command line, its processes, its outputs read back here.

One small run accounts for every record (its counts checked against the lake read back with Spark
and the quarantine files); a second run with the same seed and output directory adds no row to the
lake or the warehouse and no line to the quarantine; a third, interrupted with SIGINT while the
producer still sends, writes no event or bad record twice and leaves no process behind. Every
process a run starts inherits a marker in its environment (`/proc/<pid>/environ`), so the check
finds them all, whoever their parent is now.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from collections import Counter
from pathlib import Path
from typing import Any, Optional

from glue_local import REPOSITORY
from glue_local import spark as session

MARKER = "DP_LOCAL_RUN_TEST"
SEED, ANCHOR, RECORDS = "11", "2026-03-08T00:00:00Z", 40


def marked_processes(token: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment carries the marker."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{MARKER}={token}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


class LocalRunTest(unittest.TestCase):
    out: Path
    first: subprocess.CompletedProcess[str]
    token: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.out = Path(tempfile.mkdtemp(prefix="dp-local-run-"))
        cls.out.chmod(0o755)  # PostgreSQL runs as `postgres` when the suite runs as root: it must reach <out>/warehouse
        cls.addClassCleanup(shutil.rmtree, cls.out, True)
        cls.token = secrets.token_hex(8)
        cls.first = subprocess.run(cls.command(RECORDS, rate=400), cwd=REPOSITORY, env=cls.environment(), capture_output=True,
                                   text=True, timeout=300, check=False)

    @classmethod
    def command(cls, records: int, rate: int) -> list[str]:
        return ["node", "-r", "./tools/register.js", "tools/local/cli.ts", "--pipeline", "attendees", "--records", str(records),
                "--rate", str(rate), "--bad-ratio", "0.1", "--seed", SEED, "--anchor", ANCHOR, "--out", str(cls.out)]

    @classmethod
    def environment(cls) -> dict[str, str]:
        # What a shell gives a user, and the marker; none of the suite's own AWS settings.
        return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), MARKER: cls.token}

    def summary(self) -> dict[str, Any]:
        return dict(json.loads((self.out / "summary.json").read_text(encoding="utf-8")))

    def quarantine(self) -> list[dict[str, Any]]:
        """The analyst-facing quarantine lines under the output directory."""
        return [json.loads(line) for path in (self.out / "quarantine" / "attendees").rglob("*.json") if "_staging" not in path.parts
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def lake(self) -> list[tuple[str, str]]:
        frame = session.spark().read.parquet(str(self.out / "curated" / "attendees"))
        return [(row["attendee_id"], str(row["registered_at"])) for row in frame.select("attendee_id", "registered_at").collect()]

    def test_1_a_run_accounts_for_every_record_with_its_outputs(self) -> None:
        self.assertEqual(self.first.returncode, 0, self.first.stderr[-3000:])
        summary = self.summary()
        self.assertEqual(summary["sent"], RECORDS)
        self.assertTrue(summary["accounted"], summary["accounting"])
        lake = self.lake()
        self.assertEqual(len(lake), summary["lake_rows"], "the lake read back holds the rows the summary counts")
        self.assertEqual(len(set(lake)), len(lake))
        self.assertEqual(len(self.quarantine()), summary["quarantined"])
        self.assertGreater(summary["quarantined"], 0, "--bad-ratio 0.1 sent bad records")
        self.assertEqual(summary["lake_rows"] + summary["quarantined"] + summary["duplicates"]["total"], RECORDS)
        self.assertEqual(summary["warehouse"]["rows"], summary["lake_rows"], "every event once in PostgreSQL")
        view = summary["warehouse"]["views"]["data_platform.attendees_by_country"]
        self.assertEqual(sum(row[view["columns"].index("attendee_count")] for row in view["rows"]), summary["lake_rows"])
        self.assertIn("attendees: 40 records sent, every one accounted for", self.first.stdout)
        self.assertIn("data_platform.attendees_by_country", self.first.stdout)
        self.assertEqual(marked_processes(self.token), {}, "a finished run leaves no process behind")

    def test_2_a_second_run_with_the_same_seed_and_output_adds_no_row(self) -> None:
        first, before, quarantine_before = self.summary(), self.lake(), self.quarantine()
        again = subprocess.run(self.command(RECORDS, rate=400), cwd=REPOSITORY, env=self.environment(), capture_output=True,
                               text=True, timeout=300, check=False)
        self.assertEqual(again.returncode, 0, again.stderr[-3000:])
        summary = self.summary()
        self.assertTrue(summary["accounted"], summary["accounting"])
        self.assertEqual((summary["lake_rows"], summary["quarantined"]), (0, 0))
        self.assertEqual(summary["duplicates"]["already_in_the_lake"], first["lake_rows"], "every valid event was already in the lake")
        self.assertEqual(summary["duplicates"]["already_quarantined"], first["quarantined"] + first["duplicates"]["already_quarantined"],
                         "every bad record was already in the quarantine")
        self.assertEqual(sorted(map(json.dumps, self.quarantine())), sorted(map(json.dumps, quarantine_before)), "no quarantine line added")
        self.assertEqual(summary["totals"]["quarantined"], first["totals"]["quarantined"])
        self.assertEqual(sorted(self.lake()), sorted(before))
        self.assertEqual(summary["warehouse"]["rows"], first["warehouse"]["rows"])
        self.assertEqual(summary["warehouse"]["views"], first["warehouse"]["views"])

    def test_3_ctrl_c_on_another_run_duplicates_nothing_and_leaves_no_process_behind(self) -> None:
        before = self.lake()
        # The same seed: the same records first, then new ones, slowly, so that the producer still
        # sends when the run is interrupted after its first batch.
        run = subprocess.Popen(self.command(1000, rate=5), cwd=REPOSITORY, env=self.environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            seen = self.wait_for_line(run, "] batch ", 180)
            self.assertIsNotNone(seen, "the second run processed a batch")
            running = marked_processes(self.token)
            for what in ("java", "postgres", "kinesalite_server.js", "tools/producer/cli.ts", "glue_local.run", "tools/local/cli.ts"):
                self.assertTrue(any(what in command for command in running.values()), f"{what} runs: {running}")
            os.killpg(run.pid, signal.SIGINT)  # as Ctrl-C at a terminal does: to the whole foreground process group
            _, rest = run.communicate(timeout=120)
            code = run.returncode
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
        self.assertEqual(code, 130, rest[-3000:])
        self.assertIn("SIGINT: stopping everything this run started", rest)
        self.assertNotRegex(rest, r"Traceback|ERROR|Exception", "an interrupted run stops in order, quietly")
        survivors = marked_processes(self.token)
        deadline = time.monotonic() + 5
        while survivors and time.monotonic() < deadline:
            time.sleep(0.2)
            survivors = marked_processes(self.token)
        self.assertEqual(survivors, {}, "every process the run started is gone")
        after = self.lake()
        self.assertEqual(len(set(after)), len(after), "no event twice in the lake")
        self.assertLessEqual(set(before), set(after))
        identities = Counter((line["payload_hash"], line["reason"]) for line in self.quarantine())
        self.assertEqual([identity for identity, count in identities.items() if count > 1], [], "no bad record twice in the quarantine")

    @staticmethod
    def wait_for_line(process: subprocess.Popen[str], fragment: str, seconds: float) -> Optional[str]:
        assert process.stderr is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                return None
            if fragment in line:
                return line
        return None


if __name__ == "__main__":
    unittest.main()
