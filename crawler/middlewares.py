"""Downloader middlewares of our own."""

from __future__ import annotations

import re

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request, Response

_BODY_TAG = re.compile(rb"<body[\s>]", re.I)


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta refresh, honoured only when the refresh is declared before <body>.

    Browsers ignore a <meta http-equiv="refresh"> pasted into an article's body only in theory; we
    saw the real thing: a hostile (or pasted-from-elsewhere) body redirected Scrapy off the portal
    and the article was lost. A portal that really moved declares the refresh in its <head>."""

    def process_response(self, request: Request, response: Response, spider: object = None) -> Request | Response:
        if isinstance(response, HtmlResponse):
            found = _BODY_TAG.search(response.body)
            if found is not None:
                head_only = response.replace(body=response.body[: found.start()])
                result = super().process_response(request, head_only)
                return response if result is head_only else result
        return super().process_response(request, response)
