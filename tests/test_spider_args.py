"""Bad ``-a`` arguments stop the crawl at once with one line naming the argument."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from zamanscraper import arguments
from zamanscraper.arguments import SpiderArgumentError
from zamanscraper.spiders.zaman import ZamanSpider

BAD = [
    ({"edition": "fr"}, "edition"),
    ({"edition": ""}, "edition"),
    ({"ids": "abc"}, "ids"),
    ({"ids": "10-5"}, "ids"),
    ({"ids": "5,,7"}, "ids"),
    ({"ids": "0-3"}, "ids"),
    ({"ids": "1-2000000"}, "ids"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2017-13-01"}, "since"),
    ({"since": "20170701"}, "since"),
    ({"max_pages": "0"}, "max_pages"),
    ({"max_pages": "two"}, "max_pages"),
    ({"max_pages": "-1"}, "max_pages"),
    ({"sections": "news"}, "sections"),
    ({"urls": "https://example.org/news/1.html"}, "urls"),
    ({"urls": "https://en.zamanalwsl.net/news/articles/30/1"}, "urls"),
    ({"urls": "en.zamanalwsl.net/news/1.html"}, "urls"),
    ({"urls": " , "}, "urls"),
    ({"mirror": "localhost:8000"}, "mirror"),
    ({"mirror": "http://127.0.0.1"}, "mirror"),
    ({"mirror": "ftp://127.0.0.1:21"}, "mirror"),
    ({"mirror": "http://127.0.0.1:8000/site"}, "mirror"),
    ({"mirror": "http://127.0.0.1:99999"}, "mirror"),
    ({"ids": "5", "urls": "https://en.zamanalwsl.net/news/5.html"}, "ids"),
    ({"ids": "5", "max_pages": "2"}, "max_pages"),
    ({"idz": "5"}, "idz"),
]


@pytest.mark.parametrize(("kwargs", "name"), BAD, ids=[f"{k}" for k, _ in BAD])
def test_bad_argument_is_one_line_naming_it(kwargs, name):
    with pytest.raises(SpiderArgumentError) as info:
        ZamanSpider(**kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"argument {name}=")
    assert info.value.name == name


def test_bad_timezone_setting():
    with pytest.raises(SpiderArgumentError, match=r"^setting ZAMAN_TIMEZONE=Mars/Olympus: "):
        ZamanSpider.check_arguments({}, Settings({"ZAMAN_TIMEZONE": "Mars/Olympus"}))
    ZamanSpider.check_arguments({}, Settings({"ZAMAN_TIMEZONE": "Europe/Istanbul"}))


def test_good_arguments():
    args = arguments.parse(
        edition="both", ids="5,7,9-12", since="2017-07-01", mirror="http://127.0.0.1:8000/"
    )
    assert args.editions == ("en", "ar")
    assert list(arguments.iter_ids(args.ids)) == [5, 7, 9, 10, 11, 12]
    assert args.mirror == "http://127.0.0.1:8000"
    assert args.max_pages is None  # since= drives the paging
    assert arguments.parse().max_pages == arguments.DEFAULT_MAX_PAGES
    assert arguments.parse(_job="abc").extra == {"_job": "abc"}  # scrapyd's argument passes


def test_urls_are_canonicalized_and_deduped():
    spider = ZamanSpider(
        urls="http://en.zamanalwsl.net/news/28116.html,"
        "https://en.zamanalwsl.net/news/article/28116/like/,"
        "https://zamanalwsl.net/news/article/24015/dislike"
    )
    requested = [r.url for r in spider.initial_requests()]
    assert requested == [
        "https://en.zamanalwsl.net/news/article/28116",
        "https://www.zamanalwsl.net/news/article/24015",
    ]


def test_ids_both_editions_through_mirror():
    spider = ZamanSpider(ids="7,9-10", edition="both", mirror="http://127.0.0.1:8000")
    requests = list(spider.initial_requests())
    assert [r.url for r in requests] == [
        f"http://127.0.0.1:8000/{host}/news/article/{i}"
        for i in (7, 9, 10) for host in ("en.zamanalwsl.net", "www.zamanalwsl.net")
    ]
    assert requests[0].meta["zaman_url"] == "https://en.zamanalwsl.net/news/article/7"


def test_discovery_requests_feeds_and_listings():
    spider = ZamanSpider(edition="ar", sections="3,5")
    assert [r.url for r in spider.initial_requests()] == [
        "https://www.zamanalwsl.net/news/rss/94/",
        "https://www.zamanalwsl.net/rss.php",
        "https://www.zamanalwsl.net/news/articles/3/1",
        "https://www.zamanalwsl.net/news/articles/5/1",
    ]


@pytest.mark.parametrize(
    ("arg", "name"),
    [("ids=abc", "ids"), ("edition=fr", "edition"), ("since=yesterday-ish", "since"),
     ("mirror=localhost", "mirror")],
)
def test_scrapy_crawl_prints_one_line_and_fails(scrapy_cmd, arg, name):
    result = scrapy_cmd("crawl", "zaman", "-a", arg, timeout=60)
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert f"argument {name}=" in lines[0]
    assert "Traceback" not in result.stderr
