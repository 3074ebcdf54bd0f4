"""First pipeline: normalize every text field of the record (see ``zamanscraper.processors``)."""

from __future__ import annotations

from itemadapter import ItemAdapter

from zamanscraper.processors import clean_text


class CleanPipeline:
    """NFC, invisible marks removed and whitespace collapsed in every ``str`` and ``list[str]``
    field; empty list entries dropped; ``""`` becomes ``None``. Arabic is kept as printed.

    Dict fields (``provenance``) and non-text values pass through unchanged.
    """

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        changed = 0
        for name, value in list(adapter.items()):
            if isinstance(value, str):
                new = clean_text(value)
            elif isinstance(value, list):
                new = [clean_text(v) if isinstance(v, str) else v for v in value]
                new = [v for v in new if v is not None]
            else:
                continue
            if new != value:
                adapter[name] = new
                changed += 1
        if changed and self.stats is not None:
            self.stats.inc_value("zaman/clean/fields_changed", changed)
        return item
