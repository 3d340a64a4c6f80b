"""portalwatch's feeds: building, formats, safety (feeds.safe) and the readers' server (feeds.server)."""

from .build import build_all

__all__ = ["build_all"]
