"""The portal farm: realistic Vietnamese government portals on 127.0.0.1, for tests and the demo."""

from .server import PORTALS, Farm, running_farm

__all__ = ["PORTALS", "Farm", "running_farm"]
