"""The ``zaman`` spider: discovery and requests only. It knows URLs, not markup.

Arguments (``-a NAME=VALUE``, checked by ``zamanscraper.arguments``):

``edition``    ``en`` (default), ``ar`` or ``both``.
``urls``       comma-separated article URLs (any form): crawl exactly those articles.
``ids``        ``28000-28200`` or ``5,7,9-12``: archive mode, the canonical URL of each id
               (in each edition of ``edition``).
``sections``   discovery mode (no ``urls``/``ids``): section listings paged besides the RSS
               feeds, for every edition; default en ``1,30`` (30 is Opinion), ar ``3``
               (``zamanscraper.arguments.DEFAULT_SECTIONS``).
``max_pages``  listing pages per section (page 1 = newest); default 3, unlimited with ``since``.
``since``      ``YYYY-MM-DD``: articles whose ``published_at`` date is earlier are not emitted
               (stat ``zaman/items/before_since``), in every mode. Listings print no dates, so
               paging is driven by the articles: page N+1 of a section is requested only once
               every article linked from page N has been fetched and extracted, and only if at
               least one of them is dated on or after ``since``. A page whose articles are all
               older (or undated, or failed) ends that section (``zaman/listings/stopped_since``).
               Undated articles are emitted (``zaman/items/undated_since``).
``mirror``     ``http://HOST:PORT``: fetch every site URL from an offline ``wget -x`` mirror
               (``zamanscraper.mirror``); records keep the canonical site URLs. Politeness
               delays are dropped for the mirror (``-s`` on the command line still wins).

Every article is requested once, as its canonical URL, whatever form it was linked as (old
``.html``, ``/like``, ``/dislike``, http, trailing slash): the spider dedupes on
``(edition, id)`` before requesting. Every URL ends as an item, a reject (rejects file, stages
``parse``/``fetch``), or a counted stat.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urljoin

import scrapy
from lxml import etree
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from zamanscraper import arguments, urls
from zamanscraper import outcome as crawl_outcome
from zamanscraper.arguments import SpiderArgumentError
from zamanscraper.articleset import ArticleSet
from zamanscraper.extract import ExtractError, extract_article
from zamanscraper.extract.pagekind import CHALLENGE, NotAnArticle
from zamanscraper.failures import WAF_CHALLENGE, Blocked, FetchRefused
from zamanscraper.items import FIELD_NAMES, to_item
from zamanscraper.published import published_day, with_published
from zamanscraper.signals import FETCH, Known, article_known, page_rejected, request_failed
from zamanscraper.version import extractor_version

logger = logging.getLogger(__name__)

#: settings applied (priority "spider", below ``-s``) when crawling a local mirror
MIRROR_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "ROBOTSTXT_OBEY": False,
    "ZAMAN_RETRY_BACKOFF_BASE": 0.05,
}

RECENT, OLD, UNKNOWN = "recent", "old", "unknown"
#: :meth:`ZamanSpider.article_request` default: ask the stores whether the article is known
ASK = object()
#: yielded by ``initial_requests`` after ``PAUSE_EVERY`` known ids in a row: ``start`` yields
#: to the event loop there, so skipping a long stored range never freezes the crawl
PAUSE = object()
PAUSE_EVERY = 500


def feed_parser() -> etree.XMLParser:
    """An XML parser safe for untrusted feeds: no entities, no DTD, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )


def feed_links(body: bytes) -> list[str] | None:
    """The ``link`` of every RSS ``item`` (or Atom ``entry``), in order; None when not XML.

    >>> feed_links(b"<rss><channel><item><link> /news/5.html </link></item></channel></rss>")
    ['/news/5.html']
    >>> feed_links(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><item><link>&x;</link></item></rss>')
    []
    >>> feed_links(b"\\x89PNG") is None
    True
    """
    try:
        root = etree.fromstring(body, parser=feed_parser())
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    links = []
    for entry in root.iter("{*}item", "{*}entry"):
        for link in entry.iter("{*}link"):
            value = (link.text or "").strip() or (link.get("href") or "").strip()
            if value:
                links.append(value)
                break
    return links


def make_item(record: dict, key: tuple[str, int], url: str, *, fetched_at: str) -> dict:
    """The item of an ``extract_article`` record: identity from the canonical ``url`` and ``key``,
    ``fetched_at``, ``extractor_version``, ``published_date``/``published_utc`` derived from
    ``published_at`` (``zamanscraper.published``), fields in ``items.Article`` order. Also used by
    ``python -m zamanscraper reextract``, so a re-extraction builds the very same record.

    >>> item = make_item({"headline": "H", "url": "x"}, ("en", 5),
    ...                  "https://en.zamanalwsl.net/news/article/5", fetched_at="2017-07-17T00:00:00Z")
    >>> list(item)[:4], item["extractor_version"] == extractor_version()
    (['url', 'article_id', 'edition', 'headline'], True)
    """
    record = dict(record)
    record.update(url=url, edition=key[0], article_id=key[1], fetched_at=fetched_at,
                  extractor_version=extractor_version())
    with_published(record)
    ordered = {name: record.pop(name) for name in FIELD_NAMES if name in record}
    ordered.update(record)  # unknown keys stay, for the validate pipeline to report
    return ordered


def utc_now() -> str:
    """Now as ISO 8601 UTC with a ``Z``, to the second (the ``fetched_at`` format)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ListingPage:
    """A listing page waiting for its articles' dates (``since`` mode)."""

    edition: str
    section: int
    page: int
    next_url: str | None
    pending: set = field(default_factory=set)
    recent: int = 0


class ZamanSpider(scrapy.Spider):
    name = "zaman"

    @classmethod
    def check_arguments(cls, spargs: dict, settings) -> None:
        """Raise ``SpiderArgumentError`` for a bad argument or setting (used before the crawl)."""
        arguments.parse(**spargs)
        arguments.check_settings(settings)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        try:
            cls.check_arguments(kwargs, crawler.settings)
        except SpiderArgumentError as error:
            # scrapyd, CrawlerProcess: not a traceback, but one line and a crawl that ends at once
            passed = {k: v for k, v in kwargs.items() if k.startswith("_")}
            spider = super().from_crawler(crawler, *args, **passed)
            spider.refusal = str(error)
            crawler.signals.connect(spider.refuse, signal=signals.spider_opened)
            return spider
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.timezone = arguments.check_timezone(crawler.settings.get("ZAMAN_TIMEZONE"))
        if spider.args.mirror:
            if crawler.settings.frozen:
                logger.warning("Settings are frozen: mirror crawl keeps the live-site delays")
            else:
                crawler.settings.setdict(MIRROR_SETTINGS, priority="spider")
        return spider

    def __init__(self, *args, **kwargs):
        parsed = arguments.parse(**kwargs)
        super().__init__(*args, **parsed.extra)
        self.args = parsed
        self.timezone: str | None = None
        #: why the crawl is refused (a bad argument or setting); None: it runs
        self.refusal: str | None = None
        self._requested = ArticleSet()
        self._outcomes: dict[tuple[str, int], str] = {}
        self._waiting: dict[tuple[str, int], list[ListingPage]] = {}
        #: listing pages may wait for articles' outcomes (discovery with ``since=``)
        self._waits_for_outcomes = parsed.mode == "discover" and parsed.since is not None
        self._skipped_in_row = 0

    # --- helpers ---------------------------------------------------------------------------

    def _inc(self, key: str, count: int = 1) -> None:
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(key, count)

    def fetch_url(self, site_url: str) -> str:
        """The URL actually requested for a site URL (the mirror's when ``mirror=`` is set)."""
        return urls.to_mirror(site_url, self.args.mirror) if self.args.mirror else site_url

    def known(self, key: tuple[str, int]) -> Known | None:
        """What the output and the seen-store already have of an article (``article_known``
        signal): a :class:`Known` to skip it, None to fetch it."""
        if getattr(self, "crawler", None) is None:
            return None
        found = None
        for _, answer in self.crawler.signals.send_catch_log(article_known, key=key, spider=self):
            if answer == FETCH:
                return None
            if isinstance(answer, Known) and found is None:
                found = answer
        return found

    def article_request(self, key: tuple[str, int], *, unique: bool = False,
                        known: Known | None | object = ASK) -> scrapy.Request | None:
        """The request for an article; None when it was already requested or is known.

        ``unique``: the caller guarantees ``key`` comes once (``ids=``), so it is not kept in
        memory (a million-id range would otherwise hold every key). ``known``: the answer of
        :meth:`known` when already asked.
        """
        if not unique:
            if key in self._requested:
                self._inc("zaman/articles/already_requested")
                return None
            self._requested.add(key)
        if known is ASK:
            known = self.known(key)
        if isinstance(known, Known):
            self._inc(f"zaman/articles/skipped_{known.reason}")
            self._skipped_in_row += 1
            return None
        self._inc("zaman/articles/requested")
        url = urls.canonical_url(*key)
        return scrapy.Request(
            self.fetch_url(url),
            callback=self.parse_article,
            errback=self.on_error,
            meta={"zaman_url": url, "zaman_key": key},
        )

    def feed_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            self.fetch_url(url), callback=self.parse_feed, errback=self.on_error,
            meta={"zaman_url": url}, priority=10,
        )

    def listing_request(self, edition: str, section: int, page: int) -> scrapy.Request:
        url = urls.listing_url(edition, section, page)
        self._inc("zaman/listings/requested")
        return scrapy.Request(
            self.fetch_url(url), callback=self.parse_listing, errback=self.on_error,
            meta={"zaman_url": url, "zaman_listing": (edition, section, page)}, priority=5,
        )

    def link_key(self, href: str, base: str) -> tuple[str, int] | None:
        """``(edition, id)`` of an article link of the crawled editions, else None."""
        try:
            absolute = urljoin(base, href.strip())
            if not urls.is_site_url(absolute):
                return None
            key = urls.article_key(absolute)
        except ValueError:
            return None
        if key is None:
            return None
        if key[0] not in self.args.editions:
            self._inc("zaman/links/other_edition")
            return None
        if urls.is_vote_url(absolute):
            self._inc("zaman/links/vote_canonicalized")
        return key

    def site_url_of(self, response_or_request) -> str:
        meta_url = response_or_request.meta.get("zaman_url")
        if meta_url:
            return meta_url
        url = response_or_request.url
        return urls.from_mirror(url, self.args.mirror) if self.args.mirror else url

    def key_of(self, response, key_function):
        """The key of a response that came without our meta (``scrapy parse -c CALLBACK URL``,
        ``-a mirror=`` with the page's mirror URL): derived from its site URL; None when the URL
        is not of that kind."""
        try:
            return key_function(self.site_url_of(response))
        except ValueError:
            return None

    # --- start -----------------------------------------------------------------------------

    async def start(self):
        """The requests of :meth:`initial_requests`, handed over only as the downloader has room.

        An ``async`` generator that never awaits is drained whole by Scrapy before the first
        download (``ids=1-1000000``: minutes, gigabytes, deaf to Ctrl-C). This one waits for
        the scheduler to run empty whenever the engine has to back out (Scrapy's documented
        "delaying start request iteration"), so the first request goes out at once, the
        pending requests stay bounded by the concurrency and a shutdown cancels the wait.
        """
        for request in self.initial_requests():
            if request is PAUSE:  # a long run of known articles: let the reactor breathe
                await asyncio.sleep(0)
                continue
            if self.crawler.engine.needs_backout():
                await self.crawler.signals.wait_for(signals.scheduler_empty)
            yield request

    def refuse(self, spider=None):
        """``spider_opened`` of a refused crawl: fail it with one line, end it before any request."""
        crawl_outcome.fail(self.crawler, self.refusal)
        raise CloseSpider("bad_arguments")

    def initial_requests(self):
        """Requests of the crawl's mode: ``urls``, ``ids`` or discovery (feeds + listings)."""
        mode = self.args.mode
        logger.info(
            "Crawling %s mode, editions %s%s", mode, ",".join(self.args.editions),
            f", mirror {self.args.mirror}" if self.args.mirror else "",
        )
        if mode == "urls":
            for url in self.args.urls:
                request = self.article_request(urls.article_key(url))
                if request is not None:
                    yield request
        elif mode == "ids":
            for article_id in arguments.iter_ids(self.args.ids):
                for edition in self.args.editions:
                    request = self.article_request((edition, article_id), unique=True)
                    if request is not None:
                        self._skipped_in_row = 0
                        yield request
                    elif self._skipped_in_row >= PAUSE_EVERY:
                        self._skipped_in_row = 0
                        yield PAUSE
        else:
            for edition in self.args.editions:
                for url in urls.feed_urls(edition):
                    yield self.feed_request(url)
                for section in self.args.sections_for(edition):
                    yield self.listing_request(edition, section, 1)

    # --- callbacks -------------------------------------------------------------------------

    def parse_feed(self, response):
        site_url = self.site_url_of(response)
        links = feed_links(response.body)
        if links is None:
            self._inc("zaman/feeds/unreadable")
            self.reject_page(site_url, ["feed is not readable XML"], {})
            return
        self._inc("zaman/feeds/parsed")
        self._inc("zaman/feeds/links", len(links))
        for href in links:
            key = self.link_key(href, site_url)
            if key is None:
                self._inc("zaman/feeds/links_skipped")
                continue
            request = self.article_request(key)
            if request is not None:
                yield request

    def parse_listing(self, response):
        site_url = self.site_url_of(response)
        listing = response.meta.get("zaman_listing") or self.key_of(response, urls.listing_key)
        if listing is None:
            self.reject_page(site_url, ["not a section listing URL"], {})
            return
        edition, section, page = listing
        self._inc("zaman/listings/pages")
        if isinstance(response, TextResponse):
            selector = Selector(text=response.text, type="html")
        else:
            selector = Selector(text=response.body.decode("utf-8", "replace"), type="html")
        keys: dict[tuple[str, int], None] = {}
        next_url = None
        for href in selector.xpath("//a/@href").getall():
            key = self.link_key(href, site_url)
            if key is not None:
                keys[key] = None
                continue
            try:
                absolute = urljoin(site_url, href.strip())
                listing = urls.listing_key(absolute)
            except ValueError:
                continue
            if listing == (edition, section, page + 1):
                next_url = absolute
        if not keys:
            self._inc("zaman/listings/empty")
        known = {key: self.known(key) for key in keys}
        for key in keys:
            request = self.article_request(key, known=known[key])
            if request is not None:
                yield request
            elif known[key] is not None and self._waits_for_outcomes:
                self._outcomes[key] = self.since_outcome(known[key].published)
        more_allowed = self.args.max_pages is None or page < self.args.max_pages
        if next_url is None or not more_allowed:
            return
        if self.args.walk == "update" and keys and None not in known.values():
            self._inc("zaman/listings/stopped_update")
            logger.info("Section %s (%s) stops at page %s: every article on it is already stored",
                        section, edition, page)
            return
        if self.args.since is None:
            yield self.listing_request(edition, section, page + 1)
            return
        waiting = ListingPage(edition, section, page, next_url)
        for key in keys:
            outcome = self._outcomes.get(key)
            if outcome is None:
                waiting.pending.add(key)
                self._waiting.setdefault(key, []).append(waiting)
            elif outcome == RECENT:
                waiting.recent += 1
        if not waiting.pending:
            yield from self.listing_settled(waiting)

    def parse_article(self, response):
        key = response.meta.get("zaman_key") or self.key_of(response, urls.article_key)
        if key is None:
            self.reject_page(self.site_url_of(response), ["not an article URL"], {})
            return
        url = urls.canonical_url(*key)
        try:
            record = extract_article(response.body, url, timezone=self.timezone)
        except NotAnArticle as error:  # a challenge that got past the retries is a block
            if error.kind == CHALLENGE:
                yield from self.fail(response.request, Blocked.code, WAF_CHALLENGE)
                return
            self._inc(f"zaman/pages/not_article/{error.kind}")
            self.reject_page(url, [str(error)], {})
            yield from self.settle(key, UNKNOWN)
            return
        except ExtractError as error:
            self._inc("zaman/pages/unparsable")
            self.reject_page(url, [str(error)], {})
            yield from self.settle(key, UNKNOWN)
            return
        except Exception as error:  # an extractor bug must not lose the URL: record it, loudly
            logger.exception("Extractor crashed on %s", url)
            self._inc("zaman/pages/extractor_crashed")
            self.reject_page(url, [f"extractor crashed: {type(error).__name__}: {error}"], {})
            yield from self.settle(key, UNKNOWN)
            return
        item = self.make_item(record, key, url)
        outcome = UNKNOWN
        if self.args.since is not None:
            day = published_day(item.get("published_at"))
            if day is None:
                self._inc("zaman/items/undated_since")
            outcome = self.since_outcome(day)
        yield from self.settle(key, outcome)
        if outcome == OLD:
            self._inc("zaman/items/before_since")
            return
        self._inc("zaman/items/extracted")
        yield to_item(item)

    def since_outcome(self, day: date | None) -> str:
        """RECENT or OLD against ``since=`` for a publication date; UNKNOWN without one."""
        if day is None or self.args.since is None:
            return UNKNOWN
        return OLD if day < self.args.since else RECENT

    def make_item(self, record: dict, key: tuple[str, int], url: str) -> dict:
        """The record in ``items.Article`` field order, identity from the canonical URL."""
        return make_item(record, key, url, fetched_at=utc_now())

    def on_error(self, failure):
        """Errback of every request: count the failure, write a ``fetch`` reject."""
        if failure.check(HttpError):
            status = failure.value.response.status
            code, reason = f"http_{status}", f"HTTP {status}"
        elif failure.check(FetchRefused):  # blocked, refused redirect, dropped by Scrapy
            code, reason = failure.value.code, failure.value.reason
        else:
            code = type(failure.value).__name__
            reason = f"{code}: {failure.getErrorMessage()}"
        yield from self.fail(failure.request, code, reason)

    def fail(self, request, code: str, reason: str):
        """A request failed for good: count it, log it once, write a ``fetch`` reject."""
        url = self.site_url_of(request)
        self._inc("zaman/requests/failed")
        self._inc(f"zaman/requests/failed/{code}")
        if code == "http_404" and self.args.mode == "ids":  # most ids of a range do not exist
            if self.crawler.stats.get_value("zaman/requests/failed/http_404") == 1:
                logger.info("No article at %s (HTTP 404); further 404s of the id range are only "
                            "counted (zaman/requests/failed/http_404), summary at the end", url)
        else:
            logger.warning("Failed %s: %s", url, reason)
        self.crawler.signals.send_catch_log(
            signal=request_failed, url=url, reasons=[reason], item={}, spider=self
        )
        key = request.meta.get("zaman_key")
        if key is not None:
            yield from self.settle(key, UNKNOWN)

    def closed(self, reason):
        missing = self.crawler.stats.get_value("zaman/requests/failed/http_404", 0)
        if missing and self.args.mode == "ids":
            requested = self.crawler.stats.get_value("zaman/articles/requested", 0)
            logger.info("%d of %d requested ids answered 404 (no such article)", missing, requested)

    def reject_page(self, url: str, reasons: list[str], item: dict) -> None:
        self.crawler.signals.send_catch_log(
            signal=page_rejected, url=url, reasons=reasons, item=item, spider=self
        )

    # --- since= paging ---------------------------------------------------------------------

    def settle(self, key: tuple[str, int], outcome: str):
        """Record what became of an article; yield the listing pages that can now go on."""
        if self._waits_for_outcomes:
            self._outcomes[key] = outcome
        for waiting in self._waiting.pop(key, []):
            waiting.pending.discard(key)
            if outcome == RECENT:
                waiting.recent += 1
            if not waiting.pending:
                yield from self.listing_settled(waiting)

    def listing_settled(self, waiting: ListingPage):
        if waiting.recent:
            yield self.listing_request(waiting.edition, waiting.section, waiting.page + 1)
        else:
            self._inc("zaman/listings/stopped_since")
            logger.info(
                "Section %s (%s) stops at page %s: no article on or after %s",
                waiting.section, waiting.edition, waiting.page, self.args.since,
            )
