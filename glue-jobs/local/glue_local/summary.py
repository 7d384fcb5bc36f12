"""What a local run did, counted twice: by the job (its batch reports) and by reading its outputs back.

`summary.json` holds every count; `render_summary` prints it. A run's own lake and quarantine files
are the ones its batch reports name as published; the totals are everything under the output
directory (earlier runs included). The records are accounted for when the records sent equal the
records the job read, and those equal the rows this run added to the lake plus the records it
quarantined plus the duplicates the job reported dropping (older or repeated versions within a
batch, events the lake already held, bad records the quarantine already held).
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from . import QUARANTINE_PAYLOAD_PREFIX

VIEW_ROWS_SHOWN = 15


def detection_note(sensitive: Sequence[Mapping[str, Any]]) -> str:
    """Why there are no counts by entity: the batches of this run wrote no lake row that holds a
    detected value (a run that only replays writes no lake row at all); the declared fields are
    masked by their actions whatever detection finds."""
    declared = ", ".join(f"{s['field']} ({s['classification']})" for s in sensitive) or "none"
    return f"none in this run's new lake rows (declared sensitive fields, masked by their actions: [{declared}])"


def _local_file(uri: str, zones: Mapping[str, Path], buckets: Mapping[str, str]) -> Path:
    bucket, _, key = uri[len("s3://"):].partition("/")
    zone = next(zone for zone, name in buckets.items() if name == bucket)
    return zones[zone] / key


def _published_files(root: Path, suffix: str) -> list[Path]:
    """Published files under a zone's pipeline directory (not the jobs' `_staging`, no hidden files)."""
    return sorted(p for p in root.rglob(f"*{suffix}") if p.is_file() and "_staging" not in p.relative_to(root).parts
                  and not p.name.startswith((".", "_")))


def _parquet_rows(spark: Any, files: Sequence[Path]) -> int:
    from platform_etl.spark_job import literal_path

    return int(spark.read.parquet(*[literal_path(str(f)) for f in files]).count()) if files else 0


def _quarantine_reasons(files: Iterable[Path]) -> Counter[str]:
    reasons: Counter[str] = Counter()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                reasons[json.loads(line)["reason"]] += 1
    return reasons


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def is_accounted(sent: int, read_by_glue: int, reported: int, lake_rows: int, quarantined: int, duplicates: int) -> bool:
    """Every record sent was read (as Glue's wrapper counted the batches, and as the job reported
    them), and every record read is a lake row, a quarantined record or a duplicate the job dropped."""
    return sent == read_by_glue == reported == lake_rows + quarantined + duplicates


def warehouse_counts(cluster: Any, database: str, warehouse: Mapping[str, Any]) -> dict[str, Any]:
    """Rows of the pipeline's table and each materialized view, most of the first measure first."""
    schema, table = warehouse["schema"], warehouse["table"]
    views = {}
    with cluster.connect(database) as connection:
        rows = int(connection.execute(f'SELECT COUNT(*) FROM "{schema}"."{table}"').fetchone()[0])
        for view in warehouse["materialized_views"]:
            columns = [c["name"] for c in view["columns"]]
            order = [f'"{m["name"]}" DESC' for m in view["measures"]] + [f'"{g}"' for g in view["group_by"]]
            cursor = connection.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{schema}"."{view["name"]}" '
                                        f'ORDER BY {", ".join(order)}')
            views[f"{schema}.{view['name']}"] = {"columns": columns, "rows": [[_plain(v) for v in row] for row in cursor.fetchall()]}
    return {"table": f"{schema}.{table}", "rows": rows, "views": views}


def build_summary(*, spark: Any, spec: Any, run_id: str, zones: Mapping[str, Path], buckets: Mapping[str, str],
                  reports: Sequence[Mapping[str, Any]], glue_batches: Mapping[int, int], sent: int, producer: Mapping[str, int],
                  cluster: Any, database: str, postgres: Optional[str], versions: str, notes: Sequence[str], seconds: float) -> dict[str, Any]:
    published = {uri for report in reports for uri in report["published"]}
    run_lake = sorted(_local_file(u, zones, buckets) for u in published if u.endswith(".parquet"))
    # The analyst-facing quarantine: one line per bad record (its raw payload is in the restricted zone).
    run_quarantine = sorted(_local_file(u, zones, buckets) for u in published if u.endswith(".json") and f"/{QUARANTINE_PAYLOAD_PREFIX}" not in u)
    lake_root, quarantine_root = zones["curated"] / spec.pipeline, zones["quarantine"] / spec.pipeline
    all_lake = _published_files(lake_root, ".parquet")
    lake_rows = _parquet_rows(spark, run_lake)
    reasons = _quarantine_reasons(run_quarantine)
    quarantined = sum(reasons.values())
    in_batch = sum(int(r["duplicates_in_batch"]) for r in reports)
    replayed = sum(int(r["replayed"]) for r in reports)
    already_quarantined = sum(int(r["quarantine_replayed"]) for r in reports)
    duplicates = in_batch + replayed + already_quarantined
    received = sum(int(r["received"]) for r in reports)
    detected: Counter[str] = Counter()
    for report in reports:
        detected.update(report.get("detected", {}))
    accounted = is_accounted(sent, sum(glue_batches.values()), received, lake_rows, quarantined, duplicates)
    warehouse: dict[str, Any]
    if cluster is not None and spec.contract.get("warehouse"):
        warehouse = {"engine": f"PostgreSQL {postgres}", "data": str(cluster.root), **warehouse_counts(cluster, database, spec.contract["warehouse"])}
    else:
        warehouse = {"skipped": "; ".join(notes) or "no warehouse"}
    return {
        "run": run_id,
        "pipeline": spec.pipeline,
        "as_in_environment": spec.environment,
        "options": {"records": spec.records, "rate": spec.rate, "bad_ratio": spec.bad_ratio, "seed": spec.seed, "anchor": spec.anchor},
        "seconds": round(seconds, 1),
        "runtime": versions,
        "sent": sent,
        "producer": dict(producer),
        "received": received,
        "batches": len(reports),
        "lake_rows": lake_rows,
        "quarantined": quarantined,
        "quarantined_by_reason": dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        "duplicates": {"total": duplicates, "within_a_batch": in_batch, "already_in_the_lake": replayed,
                       "already_quarantined": already_quarantined},
        "accounted": accounted,
        "accounting": f"{sent} sent, {received} read by the job = {lake_rows} lake rows + {quarantined} quarantined + "
                      f"{duplicates} duplicates",
        "totals": {"lake_rows": _parquet_rows(spark, all_lake), "lake_files": len(all_lake),
                   "lake_partitions": len({f.parent for f in all_lake}),
                   "quarantined": sum(_quarantine_reasons(_published_files(quarantine_root, ".json")).values())},
        "warehouse": warehouse,
        "sensitive_values_detected": {"by_entity": dict(sorted(detected.items())), **({} if detected else {"note": detection_note(spec.contract.get("sensitive", []))})},
        "outputs": {"curated": str(lake_root), "quarantine": str(quarantine_root),
                    "warehouse": warehouse.get("data"), "summary": str(zones["curated"].parent / "summary.json")},
    }


def write_summary(out: Path, summary: Mapping[str, Any]) -> Path:
    path = out / "summary.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    texts = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(columns)]
    line = lambda values: "  " + "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    return [line(list(columns))] + [line(r) for r in texts]


def render_summary(summary: Mapping[str, Any], path: Path) -> str:
    width = 28
    row = lambda label, value, note="": f"  {label.ljust(width)}{str(value).rjust(7)}{('   ' + note) if note else ''}"  # noqa: E731
    duplicates = summary["duplicates"]
    totals = summary["totals"]
    producer = summary["producer"]
    lines = [
        f"{summary['pipeline']}: {summary['sent']} records sent, "
        f"{'every one accounted for' if summary['accounted'] else 'NOT all accounted for'}, in {summary['seconds']} s",
        row("records sent", summary["sent"], f"producer: retried {producer.get('retried', 0)}, failed {producer.get('failed', 0)}"),
        row("records read by the job", summary["received"], f"in {summary['batches']} batches"),
        row("lake rows", summary["lake_rows"], f"{totals['lake_rows']} in the lake, {totals['lake_partitions']} partitions: {summary['outputs']['curated']}"),
        row("quarantined", summary["quarantined"], f"{totals['quarantined']} in the quarantine (a line per bad record): {summary['outputs']['quarantine']}"),
    ]
    lines += [row("  " + reason, count) for reason, count in summary["quarantined_by_reason"].items()]
    lines += [
        row("duplicates", duplicates["total"], f"{duplicates['within_a_batch']} within a batch, {duplicates['already_in_the_lake']} already in the lake, "
                                               f"{duplicates['already_quarantined']} already quarantined"),
        f"  {'check':<{width}}{summary['accounting']}: {'ok' if summary['accounted'] else 'MISMATCH'}",
    ]
    warehouse = summary["warehouse"]
    if "skipped" in warehouse:
        lines.append(f"  {'warehouse rows':<{width}}      -   {warehouse['skipped']}")
    else:
        lines.append(row("warehouse rows", warehouse["rows"], f"{warehouse['table']} in {warehouse['engine']}"))
    detected = summary["sensitive_values_detected"]
    if detected["by_entity"]:
        lines.append(f"  {'sensitive values detected':<{width}}")
        lines += [row("  " + entity, count) for entity, count in detected["by_entity"].items()]
    else:
        lines.append(f"  {'sensitive values detected':<{width}}      -   {detected['note']}")
    for name, view in warehouse.get("views", {}).items():
        shown = view["rows"][:VIEW_ROWS_SHOWN]
        lines += ["", f"{name} ({len(shown)} of {len(view['rows'])} rows, largest first)"] + _table(view["columns"], shown)
    lines += ["", f"summary: {path}"]
    return "\n".join(lines) + "\n"
