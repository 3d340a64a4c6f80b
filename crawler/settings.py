"""Scrapy settings: polite by default, because provincial portals are fragile and not ours."""

from __future__ import annotations

import os

from crawler import __version__, clock

BOT_NAME = "portalwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Operators set a page people can read about the crawler and reach its operator.
PORTALWATCH_CONTACT_URL = os.environ.get("PORTALWATCH_CONTACT_URL", "https://github.com/portalwatch/portalwatch")
USER_AGENT = f"portalwatch/{__version__} (+{PORTALWATCH_CONTACT_URL})"

# Who started the run ("cli" or "schedule"), recorded with it.
PORTALWATCH_TRIGGER = os.environ.get("PORTALWATCH_TRIGGER", "cli")

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
# Two at a time per portal host. The farm-backed tests raise it through the environment: all their
# portals share the host 127.0.0.1 (on different ports), which Scrapy counts as one domain.
CONCURRENT_REQUESTS_PER_DOMAIN = int(os.environ.get("PORTALWATCH_CONCURRENCY_PER_HOST", "2"))
# A floor under AutoThrottle's delay; the farm-backed tests lower it through the environment.
DOWNLOAD_DELAY = float(os.environ.get("PORTALWATCH_DOWNLOAD_DELAY", "0.5"))
# Off only for benchmarks against plain Scrapy at equal concurrency (bench.pipeline): AutoThrottle
# aims at one request in flight per host, so it sets the pace on a fast local farm.
AUTOTHROTTLE_ENABLED = os.environ.get("PORTALWATCH_AUTOTHROTTLE", "1") != "0"
AUTOTHROTTLE_START_DELAY = max(DOWNLOAD_DELAY, float(os.environ.get("PORTALWATCH_AUTOTHROTTLE_START", "1.0")))
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = int(os.environ.get("PORTALWATCH_DOWNLOAD_TIMEOUT", "30"))
RETRY_ENABLED = True
RETRY_TIMES = int(os.environ.get("PORTALWATCH_RETRY_TIMES", "2"))
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Portals redirect to error pages in loops; a page this large is not an article.
REDIRECT_MAX_TIMES = 5
# A 19 MB page cost 845 MB to read; an article page past 10 MB is a dump or an attack, not news.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
# Verify TLS certificates (Scrapy does not by default). Sources with `tls_verify = false` are
# crawled in a process of their own with this off (crawler.runner).
DOWNLOAD_VERIFY_CERTIFICATES = os.environ.get("PORTALWATCH_TLS_VERIFY", "1") != "0"
COOKIES_ENABLED = True  # ASP.NET and Liferay portals need their session cookie between pages
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("PORTALWATCH_LOG_LEVEL", "INFO")
LOG_DATEFORMAT = clock.LOG_DATEFORMAT
# Each source is its own spider, so in a batch of many this is one portal's time limit: a hung
# portal is closed (its run `failed`, "time limit reached") while the others go on. 0: none.
CLOSESPIDER_TIMEOUT = float(os.environ.get("PORTALWATCH_SOURCE_TIMEOUT", "0"))
# Scrapy checks every callback for a generator that returns a value by reading its source and
# parsing it with ast, once per response with a bound method (its cache misses them): a tenth of a
# batch crawl's CPU in bench.pipeline's profile. Our callbacks are ours and never return a value.
WARN_ON_GENERATOR_RETURN_VALUE = False
clock.vietnam_log_clock()
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.HeadMetaRefreshMiddleware": 580,  # Scrapy's own slot
}
ITEM_PIPELINES = {
    "crawler.pipelines.validate.ValidatePipeline": 100,
    "crawler.pipelines.classify.ClassifyPipeline": 200,
    "crawler.pipelines.fingerprint.FingerprintPipeline": 300,
    "crawler.pipelines.list_pages.ListPagePipeline": 800,
    "crawler.pipelines.removals.RemovalPipeline": 850,
    "crawler.pipelines.store.StorePipeline": 900,
}
EXTENSIONS = {
    "crawler.extensions.RunRecorder": 500,
}
