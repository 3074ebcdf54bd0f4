"""Spidermon monitors run when the spider closes: is this crawl's data still trustworthy?

``CloseMonitors`` (``SPIDERMON_SPIDER_CLOSE_MONITORS``) checks, against ``ZAMAN_*`` settings:

- field coverage: share of records with a value per field (Spidermon's field coverage,
  ``SPIDERMON_ADD_FIELD_COVERAGE``), at least ``ZAMAN_MIN_COVERAGE`` per field;
- provenance mix: share of records whose headline or body came from the generic ``fallback``
  layer (``zaman/provenance/…`` stats of ``zamanscraper.tally``), at most
  ``ZAMAN_MAX_FALLBACK_PERCENT``: a rising share means the site's template changed;
- schema errors: records that failed validation (``zaman/items/rejected``), at most
  ``ZAMAN_MAX_INVALID_PERCENT`` of the records extracted;
- rejects (``parse``/``validate`` lines of the rejects file) and failed requests (after
  retries; 404 and 410 aside), at most ``ZAMAN_MAX_REJECT_PERCENT`` and ``ZAMAN_MAX_FAILED_PERCENT``;
- the finish reason, one of ``ZAMAN_FINISH_REASONS``.

Shares are judged only on at least ``ZAMAN_MONITOR_MIN_PAGES`` pages: an incremental rerun
that fetched 5 pages (4 old failures retried, 1 new article) says nothing about the site, and a
nightly job must not exit 1 for it. A smaller sample is skipped with a line saying so.

A failing check is one line naming the field and the figure, e.g.
``coverage of published_at is 12% (threshold 80%)``; the ``FailCrawl`` action hands each line
to ``zamanscraper.outcome.fail``, so the crawl exits with status 1 and prints them.
"""

from __future__ import annotations

from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action

from zamanscraper import outcome
from zamanscraper.figures import field_coverage, percent, provenance_key

#: statuses that say "no such article" (common in id ranges), not that the crawl is failing
GONE = (404, 410)
#: fields for which a generic layer can stand in when the site's own structure is not found
FALLBACK_FIELDS = ("headline", "body_paragraphs")


def coverage_problems(coverage: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """One line per field under its threshold (thresholds in percent).

    >>> coverage_problems({"headline": 1.0, "published_at": 0.12}, {"headline": 100, "published_at": 80})
    ['coverage of published_at is 12% (threshold 80%)']
    >>> coverage_problems({}, {"keywords": 10})
    ['coverage of keywords is 0% (threshold 10%)']
    """
    problems = []
    for field, threshold in thresholds.items():
        share = coverage.get(field, 0.0)
        if share * 100 < float(threshold) - 1e-9:
            problems.append(f"coverage of {field} is {percent(share)} (threshold {percent(float(threshold) / 100)})")
    return problems


def fallback_problems(stats: dict, records: int, ceiling: float, fields=FALLBACK_FIELDS) -> list[str]:
    """One line per field whose share of ``fallback`` provenance passes ``ceiling`` percent.

    >>> fallback_problems({"zaman/provenance/body_paragraphs/fallback": 9}, 10, 20)
    ['fallback provenance of body_paragraphs is 90% (ceiling 20%): has the page template changed?']
    >>> fallback_problems({}, 10, 20), fallback_problems({}, 0, 20)
    ([], [])
    """
    problems = []
    for field in fields if records else ():
        share = stats.get(provenance_key(field, "fallback"), 0) / records
        if share * 100 > ceiling + 1e-9:
            problems.append(
                f"fallback provenance of {field} is {percent(share)} (ceiling {percent(ceiling / 100)}):"
                " has the page template changed?"
            )
    return problems


def share_problem(what: str, count: int, total: int, of: str, ceiling: float) -> str | None:
    """The line for ``count`` of ``total`` passing ``ceiling`` percent, or None.

    >>> share_problem("rejects", 5, 20, "article pages", 20)
    'rejects are 25% of article pages (5 of 20; ceiling 20%)'
    >>> share_problem("rejects", 4, 20, "article pages", 20) is None
    True
    >>> share_problem("failed requests", 3, 0, "articles requested", 20)
    'failed requests are 3 with no articles requested (ceiling 20%)'
    """
    ceiling_text = percent(ceiling / 100)
    if total <= 0:
        return f"{what} are {count} with no {of} (ceiling {ceiling_text})" if count else None
    share = count / total
    if share * 100 <= ceiling + 1e-9:
        return None
    return f"{what} are {percent(share)} of {of} ({count} of {total}; ceiling {ceiling_text})"


class ZamanMonitor(BaseScrapyMonitor):
    def setting_float(self, name: str) -> float:
        return self.crawler.settings.getfloat(name)

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    def records(self) -> int:
        return self.count("item_scraped_count")

    def judge(self, pages: int, what: str) -> None:
        """Skip this check when ``pages`` is too small a sample to judge a share on."""
        least = self.crawler.settings.getint("ZAMAN_MONITOR_MIN_PAGES", 0)
        if pages < least:
            self.skipTest(f"{pages} {what} is too few to judge (ZAMAN_MONITOR_MIN_PAGES={least})")

    def check(self, problems: list[str | None]) -> None:
        found = [p for p in problems if p]
        self.assertFalse(found, "\n".join(found))


@monitors.name("Field coverage")
class FieldCoverageMonitor(ZamanMonitor):
    """Each field of ZAMAN_MIN_COVERAGE has a value in at least that share of records."""

    @monitors.name("coverage at or above ZAMAN_MIN_COVERAGE")
    def test_field_coverage(self):
        if not self.records():
            self.skipTest("no record scraped")
        self.judge(self.records(), "records")
        thresholds = dict(self.crawler.settings.getwithbase("ZAMAN_MIN_COVERAGE"))
        self.check(coverage_problems(field_coverage(self.stats), thresholds))


@monitors.name("Provenance mix")
class ProvenanceMonitor(ZamanMonitor):
    """Headline and body come from the generic fallback layer in few records."""

    @monitors.name("fallback share at or below ZAMAN_MAX_FALLBACK_PERCENT")
    def test_fallback_share(self):
        if not self.records():
            self.skipTest("no record scraped")
        self.judge(self.records(), "records")
        ceiling = self.setting_float("ZAMAN_MAX_FALLBACK_PERCENT")
        self.check(fallback_problems(self.stats, self.records(), ceiling))


@monitors.name("Errors")
class ErrorsMonitor(ZamanMonitor):
    """Schema errors, rejects and failed requests stay under their ceilings."""

    @monitors.name("schema errors at or below ZAMAN_MAX_INVALID_PERCENT")
    def test_schema_errors(self):
        invalid = self.count("zaman/items/rejected")
        self.judge(self.count("zaman/items/extracted"), "records extracted")
        self.check([share_problem("schema errors", invalid, self.count("zaman/items/extracted"),
                                  "records extracted", self.setting_float("ZAMAN_MAX_INVALID_PERCENT"))])

    @monitors.name("rejects at or below ZAMAN_MAX_REJECT_PERCENT")
    def test_rejects(self):
        if not self.crawler.settings.get("ZAMAN_REJECTS_PATH"):
            self.skipTest("the rejects file is disabled (ZAMAN_REJECTS_PATH is empty)")
        rejects = self.count("zaman/rejects/parse") + self.count("zaman/rejects/validate")
        self.judge(rejects + self.records(), "article pages")
        self.check([share_problem("rejects", rejects, rejects + self.records(), "article pages",
                                  self.setting_float("ZAMAN_MAX_REJECT_PERCENT"))])

    @monitors.name("failed requests at or below ZAMAN_MAX_FAILED_PERCENT")
    def test_failed_requests(self):
        failed = self.count("zaman/requests/failed") - sum(self.count(f"zaman/requests/failed/http_{code}")
                                                           for code in GONE)
        self.judge(self.count("zaman/articles/requested"), "articles requested")
        self.check([share_problem("failed requests", failed, self.count("zaman/articles/requested"),
                                  "articles requested", self.setting_float("ZAMAN_MAX_FAILED_PERCENT"))])


@monitors.name("Finish reason")
class FinishReasonMonitor(ZamanMonitor):
    """The crawl ended for one of the reasons in ZAMAN_FINISH_REASONS."""

    @monitors.name("finish reason in ZAMAN_FINISH_REASONS")
    def test_finish_reason(self):
        expected = self.crawler.settings.getlist("ZAMAN_FINISH_REASONS")
        reason = self.stats.get("finish_reason")
        self.assertIn(reason, expected, f"finish reason is {reason} (expected {', '.join(expected)})")


class FailCrawl(Action):
    """Fail the crawl (``zamanscraper.outcome.fail``) with each line of each failed check."""

    def run_action(self):
        crawler = self.data["crawler"]
        for result in self.result.monitors_failed_results:
            if result.reason:
                lines = result.reason.splitlines()
            else:  # the monitor itself raised: its last traceback line says why
                error = (result.error or "").strip().splitlines()
                lines = [f"monitor {result.item.name} crashed: {error[-1] if error else 'unknown error'}"]
            for line in lines:
                if line.strip():
                    outcome.fail(crawler, line.strip())


class CountChecks(Action):
    """Stats ``zaman/monitors/passed`` and ``zaman/monitors/failed`` (checks, skipped ones
    passed): the report tells a healthy crawl from one whose monitors never ran."""

    def run_action(self):
        stats = self.data["crawler"].stats
        stats.set_value("zaman/monitors/passed", len(self.result.monitors_passed_results))
        stats.set_value("zaman/monitors/failed", len(self.result.monitors_failed_results))


class CloseMonitors(MonitorSuite):
    """Run when the spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``)."""

    monitors = [
        FieldCoverageMonitor,
        ProvenanceMonitor,
        ErrorsMonitor,
        FinishReasonMonitor,
    ]
    monitors_finished_actions = [CountChecks]
    monitors_failed_actions = [FailCrawl]
