"""``scrapy parse``, the standard way to debug one page, works on our callbacks: they derive
what the crawl would have put in the request's meta from the URL."""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from zamanscraper import urls
from zamanscraper.items import Article
from zamanscraper.spiders.zaman import ZamanSpider


def test_scrapy_parse_an_article_from_the_mirror(mirror_server, scrapy_cmd):
    page = f"{mirror_server.base}/en.zamanalwsl.net/news/28116.html"  # an old URL form
    result = scrapy_cmd("parse", "--spider", "zaman", "-c", "parse_article",
                        "-a", f"mirror={mirror_server.base}", page)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Scraped Items" in result.stdout
    assert "'url': 'https://en.zamanalwsl.net/news/article/28116'" in result.stdout
    assert "Eastern Qalamoun" in result.stdout
    assert "KeyError" not in result.stderr


def test_scrapy_parse_a_listing_from_the_mirror(mirror_server, scrapy_cmd):
    page = f"{mirror_server.base}/en.zamanalwsl.net/news/articles/1/1/"
    result = scrapy_cmd("parse", "--spider", "zaman", "-c", "parse_listing",
                        "-a", f"mirror={mirror_server.base}", page)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Requests" in result.stdout and "/news/article/" in result.stdout
    assert "KeyError" not in result.stderr


def test_callbacks_without_meta_on_site_urls(mirror_server):
    crawler = get_crawler(ZamanSpider)
    spider = ZamanSpider.from_crawler(crawler)
    crawler.spider = spider
    body = (mirror_server.root / "en.zamanalwsl.net" / "news" / "article" / "28116" / "index.html").read_bytes()
    url = "https://en.zamanalwsl.net/news/article/28116/like"
    response = HtmlResponse(url, body=body, request=Request(url))
    (item,) = spider.parse_article(response)
    assert isinstance(item, Article)
    assert (item.url, item.edition, item.article_id) == (urls.canonical_url("en", 28116), "en", 28116)
