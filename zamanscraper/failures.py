"""Why a fetch is refused on purpose: exceptions our downloader middlewares raise.

Each is an ``IgnoreRequest``, so Scrapy hands it to the request's errback and logs nothing
itself; the spider's errback turns it into one ``fetch`` reject with ``reason`` and counts it
as ``zaman/requests/failed/{code}``.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

#: the reason of a request still answered by a WAF challenge or block page after its retries
WAF_CHALLENGE = "blocked: WAF challenge"


class FetchRefused(IgnoreRequest):
    """A response we refuse to use. ``reason`` is the one-line reject reason.

    >>> error = Blocked("blocked: WAF challenge")
    >>> error.code, error.reason, str(error)
    ('blocked', 'blocked: WAF challenge', 'blocked: WAF challenge')
    """

    #: the stat key suffix: ``zaman/requests/failed/{code}``
    code = "refused"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Blocked(FetchRefused):
    """Still blocked after every retry (a WAF challenge or block page served with 200)."""

    code = "blocked"


class OffsiteRedirect(FetchRefused):
    """A redirect to a host outside the site (or outside the mirror)."""

    code = "offsite_redirect"


class RedirectLoop(FetchRefused):
    """A redirect back to a URL already visited on the way."""

    code = "redirect_loop"


class Dropped(FetchRefused):
    """Dropped inside Scrapy (the scheduler's duplicate filter) where no errback would run."""

    code = "dropped"
