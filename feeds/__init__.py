"""portalwatch's feeds: RSS/Atom building (feeds.build) and a static feed server (feeds.serve)."""

from .build import build_all

__all__ = ["build_all"]
