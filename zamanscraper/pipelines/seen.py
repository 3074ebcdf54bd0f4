"""Pipeline: a record equal to the one the seen-store holds is not written again.

Only with ``ZAMAN_STATE_PATH`` (``zamanscraper.seen``). Compares the content hash (everything
but ``fetched_at``) with the stored one; an unchanged record is dropped as :class:`Unchanged`
(not a reject, counted in ``zaman/items/unchanged``) and its article marked seen.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from zamanscraper.pipelines.dedupe import DuplicateItem
from zamanscraper.seen import SeenState


class Unchanged(DuplicateItem):
    """The record equals the one stored: not written again. Not a reject: only counted."""


class UnchangedPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("ZAMAN_STATE_PATH"):
            raise NotConfigured("ZAMAN_STATE_PATH is not set")
        return cls(crawler)

    def process_item(self, item):
        state = self.crawler.get_extension(SeenState)
        record = ItemAdapter(item).asdict()
        if state is not None and state.unchanged(record):
            self.crawler.stats.inc_value("zaman/items/unchanged")
            raise Unchanged(f"unchanged since the last run: {record.get('url')}")
        return item
