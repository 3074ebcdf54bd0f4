"""Monitors, progress line and crawl report, on real ``scrapy crawl`` runs over loopback mirrors:
the fixture mirror (monitors pass, exit 0) and a copy whose article template "changed" (no date
line, no keywords, headline only in metadata, body in unfamiliar containers: monitors fail,
exit 1, naming the fields and their figures)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import SITE
from scrapy import Spider
from scrapy.utils.test import get_crawler

from zamanscraper import mirror, outcome, urls
from zamanscraper.monitors import CloseMonitors

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def changed_page(article: dict) -> str:
    """An article page in a template the extractor has never seen: the headline only in
    ``og:title``, no date line, no keywords, the paragraphs in ``div``/``span`` rows."""
    paragraphs = list(article["body_paragraphs"])
    if paragraphs and article.get("lead_prefix"):
        paragraphs[0] = article["lead_prefix"] + paragraphs[0]
    rows = "\n".join(f'<div class="c-row"><span>{html.escape(p)}</span></div>' for p in paragraphs)
    headline = html.escape(article["headline"], quote=True)
    return (
        f'<!DOCTYPE html><html lang="{article["edition"]}"><head><meta charset="utf-8">'
        f'<meta property="og:title" content="{headline}"></head><body>'
        f'<div class="nav">Home News Opinion</div><section class="zz-main">{rows}</section>'
        f'<div class="ft">Copyright 2025</div></body></html>'
    )


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory) -> Path:
    """A copy of the fixture mirror with every fixture article in the changed template."""
    root = tmp_path_factory.mktemp("changed") / "site"
    shutil.copytree(SITE, root)
    for source in ARTICLES.glob("*.json"):
        article = json.loads(source.read_text(encoding="utf-8"))
        url = urls.canonical_url(article["edition"], article["article_id"])
        page = root / url.split("://", 1)[1] / "index.html"
        assert page.is_file(), page
        page.write_text(changed_page(article), encoding="utf-8")
    return root


def crawl(scrapy_cmd, root: Path, out: Path, *settings: str):
    with mirror.serve(root) as base:
        return scrapy_cmd(
            "crawl", "zaman", "-a", f"mirror={base}", "-a", "edition=both",
            "-O", str(out / "articles.jsonl"), "-s", f"ZAMAN_REJECTS_PATH={out / 'rejects.jsonl'}",
            *(arg for s in settings for arg in ("-s", s)),
        )


@pytest.fixture(scope="module")
def changed(changed_site, scrapy_cmd, tmp_path_factory):
    return crawl(scrapy_cmd, changed_site, tmp_path_factory.mktemp("changed-out"))


@pytest.fixture(scope="module")
def normal(scrapy_cmd, tmp_path_factory):
    """The fixture mirror (hostile pages, a 403 and a 404 included), with report and a short
    progress interval."""
    out = tmp_path_factory.mktemp("normal-out")
    result = crawl(scrapy_cmd, SITE, out, f"ZAMAN_REPORT_PATH={out / 'report' / 'report.html'}",
                   "ZAMAN_PROGRESS_INTERVAL=0.2")
    return result, out


def failed_lines(result) -> list[str]:
    prefix = "scrapy crawl zaman: failed: "
    return [line[len(prefix):] for line in result.stderr.splitlines() if line.startswith(prefix)]


# --- monitors -----------------------------------------------------------------------------

def test_changed_template_fails_the_monitors_naming_fields_and_figures(changed):
    assert changed.returncode == outcome.EXIT_FAILED, changed.stderr[-3000:]
    lines = failed_lines(changed)
    assert "coverage of published_at is 0% (threshold 80%)" in lines, lines
    assert "coverage of keywords is 0% (threshold 10%)" in lines, lines
    assert [line for line in lines if line.startswith("fallback provenance of body_paragraphs is 100%")], lines
    assert "Traceback" not in changed.stderr  # one line per problem in the log too


def test_normal_mirror_passes_the_monitors(normal):
    result, out = normal
    assert result.returncode == 0, result.stderr[-3000:]
    assert failed_lines(result) == []
    assert "[Spidermon] 6 monitors" in result.stderr and "[Spidermon] FAILED" not in result.stderr


SMALL_CRAWL = {
    "finish_reason": "closespider_errorcount", "item_scraped_count": 10, "zaman/items/extracted": 10,
    "spidermon_item_scraped_count/dict": 10,
    **{f"spidermon_item_scraped_count/dict/{f}": 10 for f in ("headline", "body_paragraphs", "source_tag", "keywords")},
    "spidermon_item_scraped_count/dict/published_at": 5,
    "zaman/provenance/headline/fallback": 3,
    "zaman/requests/failed": 7, "zaman/requests/failed/http_404": 2, "zaman/articles/requested": 15,
}


def run_close_monitors(stats: dict, **settings) -> list[str]:
    from zamanscraper import settings as project
    from zamanscraper.monitoring import QuietRunner

    crawler = get_crawler(settings_dict={**{k: getattr(project, k) for k in dir(project) if k.isupper()},
                                         **settings})
    crawler.stats.set_stats(dict(stats))
    spider = Spider("zaman")
    QuietRunner(spider=spider).run(
        CloseMonitors(crawler=crawler),
        stats=crawler.stats.get_stats(), crawler=crawler, spider=spider, stats_history=[], job=None,
    )
    return outcome.failures(crawler)


def test_small_samples_are_not_judged_by_share():
    """An incremental rerun fetching a handful of pages: shares say nothing, only the finish
    reason counts (ZAMAN_MONITOR_MIN_PAGES, default 20)."""
    assert run_close_monitors(SMALL_CRAWL) == ["finish reason is closespider_errorcount (expected finished, shutdown)"]


def test_monitor_suite_fails_the_crawl_with_one_line_per_problem():
    assert run_close_monitors(SMALL_CRAWL, ZAMAN_MONITOR_MIN_PAGES=0) == [
        "coverage of published_at is 50% (threshold 80%)",
        "fallback provenance of headline is 30% (ceiling 20%): has the page template changed?",
        "failed requests are 33.3% of articles requested (5 of 15; ceiling 20%)",
        "finish reason is closespider_errorcount (expected finished, shutdown)",
    ]


# --- progress line ----------------------------------------------------------------------------

def test_progress_lines_during_and_at_the_end(normal):
    result, _ = normal
    lines = [line.split("INFO: ", 1)[1] for line in result.stderr.splitlines() if "[zamanscraper.progress]" in line]
    assert len(lines) >= 2, lines
    pattern = r"Progress: [\d,]+ pages/min, [\d,]+ items, [\d,]+ rejects, [\d,]+ failures, [\d,?]+ queued"
    assert all(re.fullmatch(pattern + r"( \(crawl finished\))?", line) for line in lines), lines
    assert re.fullmatch(pattern.replace(r"[\d,]+ items", "38 items").replace(r"[\d,]+ rejects", "8 rejects")
                        .replace(r"[\d,]+ failures", "4 failures") + r" \(crawl finished\)", lines[-1]), lines[-1]
    assert "Crawled " not in result.stderr  # Scrapy's LogStats is replaced, not doubled


# --- crawl report -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report_html(normal) -> Path:
    _, out = normal
    path = out / "report" / "report.html"
    assert path.is_file()
    return path


def test_report_is_self_contained_with_every_section(report_html):
    text = report_html.read_text(encoding="utf-8")
    for forbidden in ("<script", "<link", "src=", "url(", "@import"):
        assert forbidden not in text, forbidden  # opens offline: nothing to fetch
    for heading in ("Counts", "Field coverage", "Provenance mix", "Articles per month", "Top reject reasons"):
        assert f"<h2>{heading}</h2>" in text, heading
    assert "All monitors passed (6 checks)" in text
    assert text.count("<svg") == 3
    assert "empty page: no content" in text and "https://en.zamanalwsl.net/news/article/41235" in text
    assert "<td>fetch</td><td>HTTP 404</td><td class=n>2</td>" in text
    # the counts agree with the rejects file, stage by stage
    lines = (report_html.parent.parent / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    stages = Counter(json.loads(line)["stage"] for line in lines)
    assert set(stages) == {"fetch", "parse", "validate"}
    for stage, count in stages.items():
        assert re.search(rf"<td>rejects: {stage}[^<]*</td><td class=n>{count}</td>", text), stage


def test_report_renders_in_headless_chromium(report_html, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("the chromium binary is not installed (Debian package chromium; .ci/run installs it)")
    from PIL import Image

    shot = tmp_path / "report.png"
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1600",
         f"--screenshot={shot}", report_html.as_uri()],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 1600)
    colors = image.getcolors(maxcolors=1 << 24)  # [(count, (r, g, b)), ...]
    inked = sum(n for n, (r, g, b) in colors if r + g + b < 600)
    bars = sum(n for n, (r, g, b) in colors if abs(r - 0x4E) < 12 and abs(g - 0x79) < 12 and abs(b - 0xA7) < 12)
    assert inked > 1000 * 1600 * 0.02, f"only {inked} dark pixels: blank page?"
    assert bars > 2000, f"only {bars} pixels in the chart colour: charts not drawn?"


def test_unwritable_report_fails_the_crawl_with_one_line(tmp_path):
    from zamanscraper.tally import Tally

    (tmp_path / "file").write_text("not a directory")
    crawler = get_crawler(settings_dict={"ZAMAN_REPORT_PATH": str(tmp_path / "file" / "report.html")})
    tally = Tally.from_crawler(crawler)
    tally.item_scraped({"published_at": "2017-07-17", "provenance": {"headline": "text"}})
    tally.engine_stopped()
    (reason,) = outcome.failures(crawler)
    assert reason.startswith(f"cannot write the report {tmp_path / 'file' / 'report.html'}: "), reason
    assert crawler.stats.get_value("zaman/provenance/headline/text") == 1


def test_tally_keeps_a_bounded_number_of_reject_reasons(monkeypatch):
    from zamanscraper import tally as tally_module

    monkeypatch.setattr(tally_module, "MAX_REASONS", 2)
    tally = tally_module.Tally.from_crawler(get_crawler())
    for i in range(5):
        tally.page_rejected(url=f"https://en.zamanalwsl.net/news/article/{i}", reasons=[f"title {i}"])
    assert tally.stages == {"parse": 5}
    assert tally.reasons == {("parse", "title 0"): 1, ("parse", "title 1"): 1, ("parse", "(other reasons)"): 3}
    assert tally.examples[("parse", "(other reasons)")] == [
        f"https://en.zamanalwsl.net/news/article/{i}" for i in (2, 3, 4)]
