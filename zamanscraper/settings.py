"""Scrapy settings of zamanscraper. ``ZAMAN_*`` settings are read in ``from_crawler`` only."""

from zamanscraper.items import FIELD_NAMES

BOT_NAME = "zamanscraper"
SPIDER_MODULES = ["zamanscraper.spiders"]
NEWSPIDER_MODULE = "zamanscraper.spiders"
#: our ``crawl`` checks spider arguments before Scrapy starts (one-line errors)
COMMANDS_MODULE = "zamanscraper.commands"

# --- access and politeness -----------------------------------------------------------------
# The live site's WAF answers 403/406 to bare clients: look like a browser.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en,ar;q=0.8",
}
# Obey robots.txt: polite by default. When it is missing (the offline mirror answers 404) Scrapy
# allows everything; the spider turns it off for mirror= crawls (MIRROR_SETTINGS).
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # each delay varies by ±50% (Scrapy >= 2.19; older ones randomize by default)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # a news page is ~40 KB; bigger is not an article
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
COOKIES_ENABLED = True  # some WAFs set a cookie on the first answer and expect it back

# --- retries: bounded, with backoff (zamanscraper.middlewares.backoff) ------------------------
RETRY_ENABLED = True
RETRY_TIMES = 4  # 5 requests in all
# 403/406: the WAF "blocked" answers; 429/503: throttled; the rest: transient server errors
RETRY_HTTP_CODES = [403, 406, 408, 429, 500, 502, 503, 504, 522, 524]
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "zamanscraper.middlewares.backoff.BackoffRetryMiddleware": 550,
    # sees a 3xx before RedirectMiddleware (600) does: redirects stay on the site or the mirror
    "zamanscraper.middlewares.redirects.SiteRedirectMiddleware": 650,
    # after HttpCompressionMiddleware (590) has decoded the body, before retries (550)
    "zamanscraper.middlewares.warc.WarcWriterMiddleware": 585,
}
#: seconds before the first retry, doubled for each further retry (0: retry at once)
ZAMAN_RETRY_BACKOFF_BASE = 2.0
#: the longest wait before one retry, in seconds; also the cap on a server's Retry-After
ZAMAN_RETRY_BACKOFF_MAX = 120.0
# Failed requests reach the spider's errback (fetch rejects); no HTTPERROR_ALLOW_ALL.
# The spider's errback logs each failure once (WARNING); Scrapy's "Gave up retrying" would repeat it.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"

# --- records -------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "zamanscraper.pipelines.clean.CleanPipeline": 100,
    "zamanscraper.pipelines.validate.ValidatePipeline": 200,
    # last net: a host-name headline or a body that is not prose is rejected (stage validate)
    "zamanscraper.pipelines.plausible.PlausiblePipeline": 250,
    "zamanscraper.pipelines.dedupe.DedupePipeline": 300,
    "zamanscraper.pipelines.seen.UnchangedPipeline": 350,  # with ZAMAN_STATE_PATH only
}
EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,  # replaced by the progress line below
    "zamanscraper.progress.Progress": 10,  # after CoreStats (finish_time)
    "zamanscraper.tally.Tally": 100,
    "zamanscraper.output.OutputFiles": 400,  # crash-safe JSONL output (zamanscraper.archive)
    "zamanscraper.seen.SeenState": 420,  # incremental reruns, with ZAMAN_STATE_PATH only
    # what any worker of a distributed crawl wrote, with ZAMAN_REDIS_URL only
    "zamanscraper.distributed.written.SharedWritten": 430,
    "zamanscraper.verdict.Verdict": 450,  # a finished crawl without any record fails
    "zamanscraper.rejects.RejectsFile": 500,
    # requests Scrapy drops (duplicate filter) reach their errback: fetch rejects, never silent
    "zamanscraper.dropped.DroppedRequests": 510,
    "zamanscraper.monitoring.Monitoring": 600,  # Spidermon, one-line log output
}
# local files (-o/-O): JSONL feeds go through zamanscraper.output's crash-safe archive
FEED_STORAGES = {
    "": "zamanscraper.feedstorage.ArchiveFeedStorage",
    "file": "zamanscraper.feedstorage.ArchiveFeedStorage",
}
#: seconds between fsyncs of the JSONL output while writing (each record is written to the OS at once)
ZAMAN_FSYNC_INTERVAL = 30.0
#: SQLite seen-store for incremental reruns (zamanscraper.seen); None: every run fetches everything
ZAMAN_STATE_PATH = None
#: with a seen-store, stored articles published within this many days are fetched again (0: never)
ZAMAN_REFRESH_DAYS = 7
FEED_EXPORT_ENCODING = "utf-8"  # real UTF-8 in JSONL, no \uXXXX escapes (Scrapy issue 5797)
# every field of items.Article, in its order, in every record and CSV column (missing: null)
FEED_EXPORT_FIELDS = list(FIELD_NAMES)
# CSV that round-trips: list and dict fields as JSON in their cells (zamanscraper.exporters)
FEED_EXPORTERS = {"csv": "zamanscraper.exporters.JsonCellCsvItemExporter"}
#: IANA zone name (e.g. "Europe/Istanbul") applied to page dates printed without a zone; None: leave naive
ZAMAN_TIMEZONE = None
#: a record whose body has fewer words in all is rejected as not an article (pipelines.plausible)
ZAMAN_MIN_BODY_WORDS = 8
#: JSONL file the rejects extension appends to (stages fetch/parse/validate); "" disables it
ZAMAN_REJECTS_PATH = "rejects.jsonl"

# --- raw pages (zamanscraper.middlewares.warc) -------------------------------------------------
#: directory for WARC files of every fetched page (request + response records); None: no WARC
ZAMAN_WARC_DIR = None
#: a WARC file is closed once it reaches this many bytes (gzip-compressed); the next one is opened
ZAMAN_WARC_MAX_SIZE = 1_000_000_000
#: first part of WARC file names: {prefix}-{UTC time}-{serial}-{pid}.warc.gz
ZAMAN_WARC_PREFIX = "zaman"

# --- progress, monitors, report (zamanscraper.progress, .monitors, .tally, .report) ----------
#: seconds between two progress lines (pages/min, items, rejects, failures, queue); 0 disables
ZAMAN_PROGRESS_INTERVAL = 60.0
#: self-contained HTML crawl report written at the end of the crawl; "" disables it
ZAMAN_REPORT_PATH = ""
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["zamanscraper.monitors.CloseMonitors"]
SPIDERMON_ADD_FIELD_COVERAGE = True  # spidermon_field_coverage/... stats for the monitors
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True  # null is no value (Spidermon counts it by default)
SPIDERMON_FIELD_COVERAGE_SKIP_FALSY = False  # a comments_count of 0 is a value; "" [] {} are skipped anyway
SPIDERMON_DICT_FIELDS_COVERAGE_LEVELS = 0  # provenance entries are counted by the tally instead
#: minimum share (percent) of records with a value, per field; defaults (override one field with
#: -s 'ZAMAN_MIN_COVERAGE={"published_at": 50}', merged over these)
ZAMAN_MIN_COVERAGE_BASE = {
    "headline": 100,
    "body_paragraphs": 100,
    "published_at": 80,
    "source_tag": 10,  # low: many real pages name no source
    "keywords": 10,  # low: many real pages carry no keywords
}
#: per-field overrides of ZAMAN_MIN_COVERAGE_BASE (percent)
ZAMAN_MIN_COVERAGE: dict[str, float] = {}
#: maximum share (percent) of records whose headline or body came from the generic fallback layer
ZAMAN_MAX_FALLBACK_PERCENT = 20.0
#: maximum share (percent) of extracted records that fail validation (stat zaman/items/rejected)
ZAMAN_MAX_INVALID_PERCENT = 10.0
#: maximum share (percent) of article pages that end as parse/validate rejects
ZAMAN_MAX_REJECT_PERCENT = 20.0
#: failed requests (after retries; 404/410 aside) per article page requested above which the
#: crawl exits 1 (zamanscraper.verdict; works without Spidermon)
ZAMAN_MAX_FAILURE_RATIO = 0.2
#: shares (coverage, fallback, schema errors, rejects, failures) are judged only on at least this
#: many pages; a smaller sample (an incremental rerun fetching a handful) is reported, not failed
ZAMAN_MONITOR_MIN_PAGES = 20
#: finish reasons of a good crawl ("shutdown": stopped on purpose by Ctrl-C/SIGTERM); others
#: (closespider_errorcount, cancelled, ...) fail the monitors
ZAMAN_FINISH_REASONS = ["finished", "shutdown"]

# --- distributed crawl on Redis (zamanscraper.distributed) ----------------------------------------
# the add-on switches to the shared scrapy-redis scheduler when ZAMAN_REDIS_URL is set
ADDONS = {"zamanscraper.distributed.addon.RedisCrawl": 0}
#: redis://:PASSWORD@HOST:PORT/DB of the shared queue (or the environment variable of that name); None: one process
ZAMAN_REDIS_URL = None
#: name of the shared crawl (its Redis keys); None: a digest of the spider arguments, so identical commands share one
ZAMAN_REDIS_CRAWL = None
#: this worker's id; None: the host name and a digest of the working directory and the outputs
ZAMAN_WORKER_ID = None
#: seconds without a heartbeat after which a worker counts as dead and its unfinished requests are taken over
ZAMAN_REDIS_WORKER_TIMEOUT = 30.0
#: seconds a finished crawl's duplicate filter stays in Redis (a worker started late finds the crawl done)
ZAMAN_REDIS_KEEP = 3600

# fingerprints per run, not in JOBDIR/requests.seen, which a kill -9 leaves wrong (zamanscraper.dupefilter)
DUPEFILTER_CLASS = "zamanscraper.dupefilter.RunDupeFilter"

# --- engine --------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# REQUEST_FINGERPRINTER_IMPLEMENTATION is gone in Scrapy 2.19 (only one fingerprinter): not set.
LOG_LEVEL = "INFO"
