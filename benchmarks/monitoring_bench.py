"""What monitoring costs per record, as a ratio to extracting the record (same process).

    python benchmarks/monitoring_bench.py

Per scraped record the crawl runs Spidermon's field-coverage counting and the tally's
provenance and month counting (``zamanscraper.tally``); the monitors and the report run once, at
the end. This prints the per-record cost of that counting next to ``extract_article`` on the
fixture article pages (the baseline), and the cost of rendering the report once. Machines here
are noisy: read the ratios.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scrapy.utils.test import get_crawler  # noqa: E402
from spidermon.contrib.scrapy.extensions import Spidermon  # noqa: E402

from truth import article_pages, url_of  # noqa: E402
from zamanscraper import report  # noqa: E402
from zamanscraper import settings as project  # noqa: E402
from zamanscraper.extract import extract_article  # noqa: E402
from zamanscraper.tally import Tally  # noqa: E402


def timed(func, rounds: int = 5) -> float:
    """Median seconds of ``func()`` over ``rounds``."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    pages = [(path.read_bytes(), url_of(path)) for path in article_pages()]
    records = [extract_article(data, url) for data, url in pages]
    crawler = get_crawler(settings_dict={k: getattr(project, k) for k in dir(project) if k.isupper()})
    spidermon = Spidermon.from_crawler(crawler)
    tally = Tally.from_crawler(crawler)

    class Spider:
        pass

    spider = Spider()
    spider.crawler = crawler

    def extract():
        for data, url in pages:
            extract_article(data, url)

    def count():
        for record in records:
            spidermon.item_scraped(record, None, spider)
            tally.item_scraped(record)

    def render():
        report.render(crawler.stats.get_stats(), months=tally.months, stages=Counter(), reasons=Counter(), examples={},
                      failures=[], settings=crawler.settings)

    base, cost, once = timed(extract), timed(count), timed(render)
    n = len(records)
    print(f"{n} records; extract_article {base / n * 1e6:,.0f} us/page (baseline)")
    print(f"monitoring counts {cost / n * 1e6:,.1f} us/record: {cost / base:.1%} of extraction")
    print(f"report rendering {once * 1e3:,.1f} ms once per crawl: {once / (base / n):,.1f} page extractions")

if __name__ == "__main__":
    main()
