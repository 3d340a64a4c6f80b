"""The one generic spider, `portal`."""
