"""The compact article sets keep the crawl's answers unchanged (memory: zamanscraper.articleset)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.request import RequestFingerprinter

from zamanscraper.archive import JsonlArchive, content_hash
from zamanscraper.articleset import BLOCK, ArticleDigests, ArticleSet
from zamanscraper.dupefilter import RunDupeFilter

MIRROR = "http://127.0.0.1:8765"


def requests_for(mirror: str | None) -> list[Request]:
    """Article and other requests, each form twice and in variants Scrapy's fingerprint equates."""
    base = (mirror.rstrip("/") + "/") if mirror else "https://"
    forms = []
    for host in ("en.zamanalwsl.net", "www.zamanalwsl.net"):
        for article_id in (1, 5, BLOCK - 1, BLOCK, 10**9):
            forms += [f"{base}{host}/news/article/{article_id}",
                      f"{base}{host}/news/article/{article_id}#comments",
                      f"{base}{host}/news/article/{article_id}?",
                      f"{base}{host}/news/article/{article_id}/like",
                      f"{base}{host}/news/{article_id}.html"]
        forms += [f"{base}{host}/rss.php", f"{base}{host}/news/articles/30/2", f"{base}{host}/news/article/x"]
    forms += ["https://en.zamanalwsl.net/news/article/7", "http://en.zamanalwsl.net/news/article/7",
              "https://example.org/news/article/7"]
    made = [Request(url) for url in forms]
    made += [Request(forms[0], method="POST", body=b"a=1"), Request(forms[0], method="HEAD")]
    return made + [r.replace() for r in made]


@pytest.mark.parametrize(("mirror", "as_bits"), [
    (None, 11),  # 2 editions x 5 ids, and en/7: canonical forms only, the rest by fingerprint
    (MIRROR, 10),
    ("http://LOCALHOST:8765/base/", 0),  # canonicalize_url changes this mirror's URLs: fingerprints
])
def test_dupefilter_answers_as_scrapys_fingerprints(mirror, as_bits):
    crawler = SimpleNamespace(spider=SimpleNamespace(args=SimpleNamespace(mirror=mirror)))
    ours = RunDupeFilter(fingerprinter=RequestFingerprinter(), crawler=crawler)
    ours.open()
    stock = RFPDupeFilter(fingerprinter=RequestFingerprinter())
    answers = [(r.method, r.url, ours.request_seen(r), stock.request_seen(r)) for r in requests_for(mirror)]
    assert [a[:3] for a in answers] == [a[:2] + (a[3],) for a in answers]
    assert len(ours.articles) == as_bits
    assert len(_fingerprints(ours)) == len(_fingerprints(stock)) - as_bits


def _fingerprints(dupefilter) -> set:
    """RFPDupeFilter's fingerprint set: ``_fingerprints`` in current Scrapy, ``fingerprints``
    in 2.18.0, the lowest version this project declares (``make test-lowest``)."""
    found = getattr(dupefilter, "_fingerprints", None)
    return found if found is not None else dupefilter.fingerprints


def test_article_set_and_digests_against_plain_python():
    keys = [("en", 0), ("en", 1), ("ar", 1), ("en", BLOCK), ("en", -3), ("xx", 2), (None, None), ("en", "3")]
    compact, plain = ArticleSet(), set()
    digests, mapping = ArticleDigests(), {}
    for n, key in enumerate(keys * 2):
        assert (key in compact) == (key in plain)
        compact.add(key)
        plain.add(key)
        digest = f"{n % 3:024x}"  # "000...0" too: still held
        digests[key] = digest
        mapping[key] = digest
        assert len(compact) == len(plain) and len(digests) == len(mapping)
    for key in [*keys, ("ar", 0), ("en", 2)]:
        assert (key in compact) == (key in plain)
        assert digests.holds(key) == (key in mapping)
        assert digests.holds(key, mapping.get(key, "1" * 24)) == (key in mapping)
        assert not digests.holds(key, "f" * 24)


def test_archive_index_reloads_what_the_file_holds(tmp_path):
    path = tmp_path / "out.jsonl"
    archive = JsonlArchive(path)
    archive.open()
    records = [{"edition": "en", "article_id": n, "headline": f"H{n}"} for n in range(1, 6)]
    for record in records:
        assert archive.add(record, (str(record).replace("'", '"') + "\n").encode())
    assert not archive.add(records[0], b"{}\n")
    archive.close()
    again = JsonlArchive(path)
    again.open()
    assert len(again.written) == 5
    assert all(again.holds(("en", r["article_id"]), content_hash(r)) for r in records)
    assert not again.holds(("en", 1), content_hash({**records[0], "headline": "changed"}))
    assert not again.holds(("ar", 1))
