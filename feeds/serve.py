"""A small read-only HTTP server for a built feeds folder (the readers' server grows later).

Serves `/feeds/<name>.rss|.atom` with feed content types; `/` redirects to the feeds index.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class FeedHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".rss": "application/rss+xml; charset=utf-8",
        ".atom": "application/atom+xml; charset=utf-8",
        ".html": "text/html; charset=utf-8",
    }

    def translate_path(self, path: str) -> str:
        # Feeds live under /feeds/ so that later pages can share the server's root.
        if path.startswith("/feeds/"):
            path = path[len("/feeds"):]
        elif path not in ("/", "/feeds"):
            return str(Path(self.directory) / "__not_found__")
        return super().translate_path(path)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path in ("/", "/feeds"):
            self.send_response(302)
            self.send_header("Location", "/feeds/")
            self.end_headers()
            return
        super().do_GET()

    def list_directory(self, path: Any) -> None:
        self.send_error(404, "Not found")
        return None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def make_server(feeds_dir: str | Path, host: str = "127.0.0.1", port: int = 8080) -> ThreadingHTTPServer:
    handler = functools.partial(FeedHandler, directory=str(feeds_dir))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return t
