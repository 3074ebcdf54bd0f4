"""``python -m zamanscraper merge OUT1.jsonl OUT2.jsonl … -o all.jsonl``: the outputs of several
workers (or runs) as one dataset, each article once.

Records are keyed by ``(edition, article_id)``; of several records of one article the one
fetched last (``fetched_at``; on a tie, the later file and line) is kept. Output order: edition,
then id. A torn last line (a worker killed while writing, no final newline) is skipped and
reported; any other unreadable line stops the merge with one line naming the file and line. The
output is written to a temporary file and renamed, so a failed merge leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from zamanscraper.dataset import DatasetError


def read_records(path: Path) -> tuple[list[dict], bool]:
    """The records of one output, and whether its last line was torn (skipped)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DatasetError(f"{path}: {error.strerror or error}") from None
    lines = data.split(b"\n")
    torn = False
    if lines and lines[-1].strip():  # no final newline: maybe torn
        try:
            json.loads(lines[-1])
        except ValueError:
            lines, torn = lines[:-1], True
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise DatasetError(f"{path}:{number}: not JSON ({error})") from None
        if not isinstance(record, dict) or not isinstance(record.get("article_id"), int):
            raise DatasetError(f"{path}:{number}: not an article record")
        records.append(record)
    return records, torn


def merge(paths: list[Path]) -> tuple[list[dict], dict]:
    """One record per article over ``paths``, and counts (``read``, ``duplicates``, ``torn``).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text(
    ...     '{"edition": "en", "article_id": 2, "fetched_at": "2026-01-01T00:00:00Z"}\\n')
    >>> _ = (d / "b.jsonl").write_text(
    ...     '{"edition": "en", "article_id": 2, "fetched_at": "2026-01-02T00:00:00Z"}\\n'
    ...     '{"edition": "ar", "article_id": 1, "fetched_at": "2026-01-01T00:00:00Z"}\\n{"edit')
    >>> records, counts = merge([d / "a.jsonl", d / "b.jsonl"])
    >>> [(r["edition"], r["article_id"], r["fetched_at"][:10]) for r in records], counts
    ([('ar', 1, '2026-01-01'), ('en', 2, '2026-01-02')], {'read': 3, 'duplicates': 1, 'torn': 1})
    """
    best: dict[tuple, dict] = {}
    counts = {"read": 0, "duplicates": 0, "torn": 0}
    for path in paths:
        records, torn = read_records(Path(path))
        counts["torn"] += torn
        for record in records:
            counts["read"] += 1
            key = (record.get("edition"), record["article_id"])
            if key in best:
                counts["duplicates"] += 1
                if (record.get("fetched_at") or "") < (best[key].get("fetched_at") or ""):
                    continue
            best[key] = record
    return [best[key] for key in sorted(best, key=lambda k: (str(k[0]), k[1]))], counts


def write_jsonl(records: list[dict], out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(out)
