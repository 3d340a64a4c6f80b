"""portalwatch's crawler: the Scrapy project (spider, pipelines, settings) and the CLI."""

__version__ = "0.1.0"
