"""Last pipeline: one record per article, keyed on ``(edition, article_id)``."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from zamanscraper.articleset import ArticleSet


class DuplicateItem(DropItem):
    """A second record for an article already exported. Not a reject: only counted."""

    log_level = "DEBUG"


class DedupePipeline:
    """Drops every record whose ``(edition, article_id)`` was already let through, counting it in
    ``zaman/items/duplicate``. The spider already requests each article once; this is the
    guarantee for the output file."""

    def __init__(self, stats=None):
        self.stats = stats
        self.seen = ArticleSet()  # one bit an article id

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        key = (adapter.get("edition"), adapter.get("article_id"))
        if key in self.seen:
            if self.stats is not None:
                self.stats.inc_value("zaman/items/duplicate")
            raise DuplicateItem(f"duplicate of {key[0]} article {key[1]}")
        self.seen.add(key)
        return item
