"""Custom signals the spider sends; the rejects extension (``zamanscraper.rejects``) listens.

Both are sent with ``crawler.signals.send_catch_log(signal, url=…, reasons=[…], item={…},
spider=…)``; ``url`` is always the canonical site URL, never a mirror URL.
"""

#: a fetched page could not be made into a record (``ExtractError``, unreadable feed)
#: kwargs: url, reasons (list[str]), item (dict), spider
page_rejected = object()

#: a request failed for good (HTTP error after retries, DNS, timeout, size limit)
#: kwargs: url, reasons (list[str]), item (dict), spider
request_failed = object()
