"""Which extractor made a record: ``extractor_version`` = package version + hash of its code.

Records carry it (field ``extractor_version``) so a dataset says which extraction code made
each line, and a re-extraction with better code can be told apart from the original crawl.
The hash covers the source of ``zamanscraper/extract/`` and the two modules it calls
(``processors.py``, ``urls.py``; the clean pipeline also uses ``processors``). It is computed once,
on first use, from the package's own files (``importlib.resources``: also works from a zipped
egg under scrapyd), never at import time.

>>> version = extractor_version()
>>> version.startswith(__version__ + "+") and len(version) == len(__version__) + 1 + HASH_CHARS
True
>>> code_hash([("a.py", b"x = 1\\n")]) == code_hash([("a.py", b"x = 1\\n")])
True
>>> code_hash([("a.py", b"x = 1\\n")]) != code_hash([("a.py", b"x = 2\\n")])
True
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from importlib import resources

from zamanscraper import __version__

#: hex characters of the code hash kept in the version string
HASH_CHARS = 10
#: (package, module file or None for every ``.py`` file of the package) hashed, in this order
EXTRACTION_SOURCES = (
    ("zamanscraper.extract", None),
    ("zamanscraper", "processors.py"),
    ("zamanscraper", "urls.py"),
)


def code_hash(files: Iterable[tuple[str, bytes]]) -> str:
    """A short SHA-256 over ``(name, content)`` pairs, names included (a rename changes it)."""
    digest = hashlib.sha256()
    for name, content in files:
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:HASH_CHARS]


def extraction_files() -> list[tuple[str, bytes]]:
    """``(package/file, bytes)`` of every source file in ``EXTRACTION_SOURCES``, sorted by name."""
    found: list[tuple[str, bytes]] = []
    for package, name in EXTRACTION_SOURCES:
        root = resources.files(package)
        entries = [root / name] if name else [e for e in root.iterdir() if e.name.endswith(".py")]
        found.extend((f"{package}/{e.name}", e.read_bytes()) for e in entries)
    return sorted(found)


@functools.cache
def extractor_version() -> str:
    """``"{package version}+{code hash}"``, e.g. ``"0.1.0+3f2a9c1b0d"`` (a PEP 440 local version)."""
    return f"{__version__}+{code_hash(extraction_files())}"
