"""Command line: ``python -m zamanscraper {extract,reextract,serve-mirror,demo}`` (also ``zamanscraper``).

``extract PAGE.html --url URL [--timezone TZ]``
    print the record ``extract_article`` makes of a saved page, as JSON. A bad file, URL, zone or
    an unparsable page prints one line on stderr and exits 2.
``reextract ARCHIVE.warc.gz [...] -o OUT.jsonl [--rejects R.jsonl] [--timezone TZ] [--mirror URL]``
    re-run extraction over the article pages of WARC files (``ZAMAN_WARC_DIR``) without the
    network (``zamanscraper.reextract``); a progress line on a terminal, periodic log lines
    otherwise. A missing file or one that is not a WARC prints one line and exits 2.
``serve-mirror [--root DIR] [--host H] [--port N]``
    serve an offline ``wget -x`` mirror (default: the bundled ``zamanscraper/demo_site``).
``schema [--check | --update]``
    print the record's JSON Schema generated from ``items.Article``; ``--check`` exits 1 when
    the checked-in ``zamanscraper/schemas/article.schema.json`` differs, ``--update`` rewrites it.
``stats ARTICLES.jsonl [--json]``
    counts by month, edition, category and source tag; field coverage; provenance mix per field.
``export ARTICLES.jsonl OUT.parquet``
    the records as Parquet with real types (pyarrow: ``pip install 'zamanscraper[analysis]'``).
``merge OUT1.jsonl OUT2.jsonl [...] -o ALL.jsonl``
    the outputs of several workers of a distributed crawl as one dataset, each article once
    (``zamanscraper.distributed.merge``).
``demo [--out DIR]``
    serve the bundled mirror on a free port and crawl all of it (``edition=both``) into
    ``DIR/articles.jsonl``, ``DIR/rejects.jsonl`` and the crawl report ``DIR/report.html``
    (default ``demo-output/``); prints a summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from zamanscraper import mirror, urls
from zamanscraper.arguments import SpiderArgumentError, check_timezone

#: the directory holding the ``zamanscraper`` package that runs (site-packages or a checkout)
PACKAGE_PARENT = Path(__file__).resolve().parent.parent


class CliError(Exception):
    """One line for stderr; exit status 2."""


def cmd_extract(args) -> int:
    from zamanscraper.extract import ExtractError, extract_article

    url = urls.canonicalize(args.url) if urls.is_site_url(args.url) else None
    if url is None:
        raise CliError(f"--url {args.url}: not an article URL of zamanalwsl.net")
    try:
        timezone = check_timezone(args.timezone)
    except SpiderArgumentError as error:
        raise CliError(f"--timezone {args.timezone}: {error.problem}") from None
    try:
        html = Path(args.page).read_bytes()
    except OSError as error:
        raise CliError(f"{args.page}: {error.strerror or error}") from None
    try:
        record = extract_article(html, url, timezone=timezone)
    except ExtractError as error:
        raise CliError(f"{args.page}: {error}") from None
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


def cmd_reextract(args) -> int:
    from zamanscraper import reextract

    try:
        timezone = check_timezone(args.timezone)
    except SpiderArgumentError as error:
        raise CliError(f"--timezone {args.timezone}: {error.problem}") from None
    if args.mirror is not None and not urls.is_mirror_base(args.mirror):
        raise CliError(f"--mirror {args.mirror}: not a base URL like http://127.0.0.1:8000")
    paths = [Path(p) for p in args.warc]
    for path in paths:
        if not path.is_file():
            raise CliError(f"{path}: {'a directory' if path.is_dir() else 'no such file'}")
    output = Path(args.output)
    rejects = Path(args.rejects) if args.rejects else output.with_suffix(".rejects.jsonl")
    logging.getLogger(reextract.__name__).setLevel(logging.INFO)
    try:
        result = reextract.reextract(
            paths, output, rejects, mirror=args.mirror, timezone=timezone,
            progress=reextract.Progress(paths),
        )
    except reextract.WarcError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{error.filename or output}: {error.strerror or error}") from None
    stats = result.stats
    rate = stats["zaman/warc/responses"] / result.elapsed if result.elapsed else 0.0
    print(f"responses: {stats['zaman/warc/responses']} ({rate:.0f}/s), "
          f"not articles: {stats['zaman/warc/skipped_not_article']}")
    print(f"items:     {result.items} -> {output}")
    rejected = sum(v for k, v in stats.items() if k.startswith("zaman/rejects/"))
    print(f"rejects:   {rejected} -> {rejects}; duplicates: {stats['zaman/items/duplicate']}")
    return 0


def cmd_serve_mirror(args) -> int:
    root = Path(args.root)
    if not root.is_dir():
        raise CliError(f"--root {root}: not a directory")
    try:
        server = mirror.serve(root, host=args.host, port=args.port)
        base = server.__enter__()
    except OSError as error:
        raise CliError(f"--port {args.port}: {error.strerror or error}") from None
    print(f"Serving {root} at {base}/ (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.__exit__(None, None, None)
    return 0


def count_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


def cmd_demo(args) -> int:
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    articles, rejects = out / "articles.jsonl", out / "rejects.jsonl"
    rejects.unlink(missing_ok=True)  # the rejects file is appended to: start clean
    log, report = out / "crawl.log", out / "report.html"
    with mirror.serve(Path(args.root)) as base:
        command = [
            sys.executable, "-m", "scrapy", "crawl", "zaman",
            "-a", f"mirror={base}", "-a", "edition=both",
            "-O", str(articles), "-s", f"ZAMAN_REJECTS_PATH={rejects}",
            "-s", f"ZAMAN_REPORT_PATH={report}", "-s", f"LOG_FILE={log}",
        ]
        # the crawl imports this very package, from any working directory
        path = os.pathsep.join(filter(None, [str(PACKAGE_PARENT), os.environ.get("PYTHONPATH")]))
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="zamanscraper.settings", PYTHONPATH=path)
        result = subprocess.run(command, cwd=out, env=env, check=False)
    if result.returncode != 0:
        raise CliError(f"crawl failed with status {result.returncode}; see {log}")
    print(f"items:   {count_lines(articles)}")
    print(f"rejects: {count_lines(rejects)}")
    print(f"output:  {articles} (log: {log})")
    print(f"report:  {report}")
    return 0


def cmd_schema(args) -> int:
    from zamanscraper import schema

    text = schema.render(schema.article_schema())
    path = Path(__file__).resolve().parent / schema.SCHEMA_RESOURCE[1]
    if args.update:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    elif args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} differs from items.Article: run python -m zamanscraper schema --update")
            return 1
    else:
        print(text, end="")
    return 0


def cmd_stats(args) -> int:
    from zamanscraper.dataset import DatasetError, read_jsonl
    from zamanscraper.summary import format_summary, summarize

    try:
        summary = summarize(read_jsonl(args.articles))
    except DatasetError as error:
        raise CliError(str(error)) from None
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary))
    return 0


def cmd_export(args) -> int:
    from zamanscraper.dataset import DatasetError, read_jsonl

    try:
        import pyarrow  # noqa: F401

        from zamanscraper.parquet import write_parquet
    except ImportError:
        raise CliError("needs pyarrow: pip install 'zamanscraper[analysis]'") from None
    if not str(args.out).endswith(".parquet"):
        raise CliError(f"{args.out}: the output must be a .parquet file")
    try:
        rows = write_parquet(read_jsonl(args.articles), args.out)
    except DatasetError as error:
        raise CliError(str(error)) from None
    except (ValueError, TypeError) as error:  # a value that does not fit its column's type
        raise CliError(f"{args.articles}: {error}") from None
    except OSError as error:
        raise CliError(f"{args.out}: {error.strerror or error}") from None
    print(f"wrote {rows} rows to {args.out}")
    return 0


def cmd_merge(args) -> int:
    from zamanscraper.dataset import DatasetError
    from zamanscraper.distributed.merge import merge, write_jsonl

    try:
        records, counts = merge([Path(p) for p in args.outputs])
        write_jsonl(records, Path(args.output))
    except DatasetError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{args.output}: {error.strerror or error}") from None
    torn = f", {counts['torn']} torn last lines skipped" if counts["torn"] else ""
    print(f"wrote {len(records)} records to {args.output} ({counts['read']} read, "
          f"{counts['duplicates']} duplicates dropped{torn})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zamanscraper", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the record of a saved article page as JSON")
    p.add_argument("page", help="saved HTML page")
    p.add_argument("--url", required=True, help="the page's site URL (any article URL form)")
    p.add_argument("--timezone", help="IANA zone for dates printed without one")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("reextract", help="re-extract the article pages of WARC files into JSONL")
    p.add_argument("warc", nargs="+", help="WARC files (.warc.gz), read in the order given")
    p.add_argument("-o", "--output", required=True, help="JSON-lines output (replaced at the end)")
    p.add_argument("--rejects", help="rejects file, replaced at the end (default: OUTPUT.rejects.jsonl)")
    p.add_argument("--timezone", help="IANA zone for dates printed without one (ZAMAN_TIMEZONE)")
    p.add_argument("--mirror", help="mirror base of a mirror= crawl (default: from the warcinfo)")
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser("serve-mirror", help="serve an offline wget-layout mirror over HTTP")
    p.add_argument("--root", default=str(mirror.DEFAULT_ROOT), help="mirror directory")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0: any free port (default 8000)")
    p.set_defaults(func=cmd_serve_mirror)

    p = sub.add_parser("schema", help="print the record's JSON Schema (generated from items.py)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the checked-in file differs")
    mode.add_argument("--update", action="store_true", help="rewrite the checked-in schema file")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("stats", help="counts, field coverage and provenance mix of a JSONL output")
    p.add_argument("articles", help="the crawl's JSONL output")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("export", help="write a JSONL output as Parquet with real types")
    p.add_argument("articles", help="the crawl's JSONL output")
    p.add_argument("out", help="the Parquet file to write")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("merge", help="the JSONL outputs of several workers as one dataset, each article once")
    p.add_argument("outputs", nargs="+", help="JSONL outputs of the workers")
    p.add_argument("-o", "--output", required=True, help="merged JSONL (replaced)")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("demo", help="crawl the bundled offline mirror into JSONL")
    p.add_argument("--out", default="demo-output", help="output directory (default demo-output)")
    p.add_argument("--root", default=str(mirror.DEFAULT_ROOT), help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except CliError as error:
        print(f"zamanscraper {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
