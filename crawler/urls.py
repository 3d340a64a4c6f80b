"""URL canonicalisation: one article, one URL, before anything is requested or stored."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that never identify an article: trackers and session tokens of the CMSes portals run on.
DROP_PARAMS = re.compile(
    r"^(utm_.*|fbclid|gclid|zarsrc|_ga|asp\.net_sessionid|sessionid|jsessionid|phpsessid|sid|"
    r"p_p_auth|p_p_lifecycle|p_p_state|p_p_mode|p_p_col_id|p_p_col_count|_cur_?.*|redirect|returnurl)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Newspaper CMSes put the title's slug before the article id ("...-thang-10-post257538.html") and
# change the slug when the title is edited: the id alone is the identity. Five or more digits, so
# that "ky-hop-thu-12.html" is not mistaken for an id.
SLUG_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+-(?P<id>(?:post|p|a|d|n|tin|bai|news)?\d{5,})(?P<ext>\.html?|\.aspx)?$",
                     re.IGNORECASE)


def canonicalize(url: str, id_params: tuple[str, ...] = (), ignore_params: tuple[str, ...] = ()) -> str:
    """Lower-case scheme and host, drop `www.`, default ports, fragments, tracking/session
    parameters and empty values, and sort the rest. Path case is kept: IIS ignores it but Drupal
    and newspaper CMSes do not. A source's `id_params` keep only the parameters that identify an
    article (`ItemID`); its `ignore_params` drop more (`CategoryID`)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    # What the fragment hid may end in spaces or control characters ("/a\x0c#top"): they go, as they do
    # when a URL ends in them, and controls inside the path are percent-encoded, so canonical URLs are stable.
    path = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"%{ord(m.group()):02X}", re.sub(r"[\s\x00-\x1f\x7f]+$", "", parts.path))
    path = re.sub(r"/{2,}", "/", path or "/")
    # ASP.NET session ids embedded in the path: /(S(abc123))/Default.aspx
    path = re.sub(r"/\(S\([^)]*\)\)", "", path)
    head, _, last = path.rpartition("/")
    m = SLUG_ID.match(last)
    if m:
        path = f"{head}/{m.group('id')}{m.group('ext') or ''}"
    keep = {p.lower() for p in id_params}
    ignore = {p.lower() for p in ignore_params}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False)
             if not DROP_PARAMS.match(k) and k.lower() not in ignore and (not keep or k.lower() in keep)]
    query.sort(key=lambda kv: (kv[0].lower(), kv[1]))
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def same_site(a: str, b: str) -> bool:
    """Both URLs on one host (ignoring `www.` and case); ports count, as farm portals differ by port."""
    pa, pb = urlsplit(a), urlsplit(b)

    def key(p: object) -> tuple[str, int | None]:
        host = (getattr(p, "hostname", "") or "").lower()
        return (host[4:] if host.startswith("www.") else host, getattr(p, "port", None))

    return key(pa) == key(pb)


# A title's slug: four or more words joined by dashes ("hoi-nghi-so-ket-6-thang-dau-nam"), with an
# extension or not. Section names are shorter ("tin-tuc-su-kien"), so a list's menu keeps its own shape.
_SLUG = re.compile(r"^[^\W_]+(?:-[^\W_]+){3,}(?P<ext>\.[a-z]{2,5})?$", re.IGNORECASE)


def url_shape(url: str) -> str:
    """The template of a URL: digits become '#', a slug becomes '*' (alone, or before an id), query
    values go. Links of one list share a shape (`/vi/node/#`, `/*-post#.html`, `/#/#/*/`,
    `/tin-tuc/articleid/#/*`, `/*.html`, `/Default.aspx?CategoryID&ItemID&tabid`)."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    for i, segment in enumerate(segments):
        m = _SLUG.match(segment)
        if m:
            # A title's slug, with its id or without: "ky-hop-thu-8-se-khai-mac-vao-ngay-6-3.htm" and
            # "hoi-nghi-so-ket-cong-tac.htm" are entries of one list.
            segments[i] = "*" + (m.group("ext") or "")
        else:
            # A short name before an id ("tin-123.html", "post-257500.html"): everything up to the last dash.
            segments[i] = re.sub(r"^.*-(?=[a-z]{0,4}\d+(\.\w+)?$)", "*-", segment, flags=re.IGNORECASE)
    path = re.sub(r"\d+", "#", "/".join(segments))
    keys = sorted(k.lower() for k, _ in parse_qsl(parts.query) if not DROP_PARAMS.match(k))
    return path.lower() + ("?" + "&".join(keys) if keys else "")
