"""Reading a crawl's JSONL output (for ``stats`` and ``export``): one record per line.

A line that is not a JSON object stops the reading with one line naming the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class DatasetError(Exception):
    """A JSONL file that cannot be read: one line saying where and why."""


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL file, in order; blank lines are skipped.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    ...     _ = f.write('{"article_id": 5}\\n\\n[1]\\n')
    >>> try:
    ...     list(read_jsonl(f.name))
    ... except DatasetError as error:
    ...     print(str(error).replace(f.name, "FILE"))
    FILE:3: not a JSON object (a list)
    >>> os.unlink(f.name)
    """
    try:
        f = Path(path).open(encoding="utf-8")
    except OSError as error:
        raise DatasetError(f"{path}: {error.strerror or error}") from None
    with f:
        try:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise DatasetError(f"{path}:{number}: not JSON ({error.msg})") from None
                if not isinstance(record, dict):
                    kind = "a list" if isinstance(record, list) else type(record).__name__
                    raise DatasetError(f"{path}:{number}: not a JSON object ({kind})")
                yield record
        except UnicodeDecodeError as error:
            raise DatasetError(f"{path}: not UTF-8 text ({error.reason})") from None
