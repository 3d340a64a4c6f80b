"""The catalogue of real provincial sites (issue 16): the shipped data validated as a whole, the
`catalogue` command's TOML loading as a sources file, and `--check` against the farm and a local
redirecting server (nothing here reaches the internet)."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.catalogue import DEFAULT_CATALOGUE, KINDS, UNITS_SINCE_2025, load_catalogue, parse_catalogue, source_toml
from crawler.sources import ConfigError, parse_sources
from portaltext.meeting.lexicon import CITIES, PROVINCES
from tests.conftest import free_port, run_cli, write_sources
from tests.farm import Farm


def test_the_shipped_catalogue_covers_the_34_units_and_every_former_province_once() -> None:
    cat = load_catalogue()
    assert len(cat.units) == UNITS_SINCE_2025 == len({u.name for u in cat.units})
    assert sum(u.level == "thành phố" for u in cat.units) == 6
    # Each of the 63 provinces before the merger is now exactly one unit or absorbed into exactly one.
    before = [p for p in PROVINCES if p != "Thừa Thiên Huế"]  # the old name of Huế, kept for old articles
    names = Counter([u.name for u in cat.units] + [a for u in cat.units for a in u.absorbed])
    assert sorted(names) == sorted(before) and set(names.values()) == {1}
    # Spelled as the product spells them: a city is a centrally-run city to agency qualification too.
    assert {u.name for u in cat.units if u.level == "thành phố"} == CITIES
    assert cat.meta["merger_seen_at"].startswith("https://")


def test_every_entry_is_a_valid_source_with_its_provenance_and_unverified() -> None:
    cat = load_catalogue()
    assert cat.entries, "the catalogue has entries"
    text = "\n".join(source_toml(e) for e in cat.entries)
    sources = parse_sources(text, "catalogue")  # ids unique, every field valid
    assert len(sources) == len(cat.entries)
    by_id = {s.id: s for s in sources}
    for e in cat.entries:
        assert e.kind in KINDS
        assert by_id[e.id].province == e.unit and by_id[e.id].start_urls == e.start_urls
        assert e.seen_at and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", e.seen_on), e.id
        assert "verified = false" in source_toml(e)
    urls = [u.rstrip("/").lower() for e in cat.entries for u in {e.home, *e.lists}]
    assert len(urls) == len(set(urls)), "no URL in two entries"


@pytest.mark.parametrize(("change", "problem"), [
    (('id = "bao-laocai"', 'id = "bao-hatinh"'), "entry 'bao-hatinh': key 'id': used twice"),
    (('seen_on = "2026-03"', 'seen_on = "2026-03"\nverified = true'), "key 'verified'"),
    (('unit = "Lào Cai"\nkind = "newspaper"', 'unit = "Yên Bái"\nkind = "newspaper"'), "key 'unit'"),
    (('name = "Hà Nội"\nlevel', 'name = "Ha Noi"\nlevel'), "key 'name': not a province name"),
    (('home = "https://www.baolaocai.vn/"', 'home = "https://baohatinh.vn/rss/home.rss"'), "is also entry 'bao-hatinh'"),
])
def test_a_broken_catalogue_is_one_line_naming_the_entry_and_key(tmp_path: Path, change: tuple[str, str],
                                                                  problem: str) -> None:
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "cat.toml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_catalogue(broken)
    result = run_cli("catalogue", "--catalogue", str(broken))
    assert result.returncode == 2 and problem in result.stderr and "Traceback" not in result.stderr
    assert str(broken) in result.stderr


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_catalogue_text_is_read_or_refused_in_words(text: str) -> None:
    try:
        parse_catalogue(text, "x.toml")
    except ConfigError as exc:
        assert str(exc).startswith("x.toml")


def test_the_command_prints_sources_an_operator_can_use(tmp_path: Path) -> None:
    result = run_cli("catalogue", "--province", "ha tinh")
    assert result.returncode == 0, result.stderr
    sources = write_sources(tmp_path / "s.toml", result.stdout)
    listed = run_cli("--sources", str(sources), "sources")
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [["bao-hatinh", "Hà Tĩnh"]]
    # A former province leads to the unit that absorbed it; every record says it is unverified.
    absorbed = run_cli("catalogue", "--province", "Bình Dương", "--json")
    rows = [json.loads(line) for line in absorbed.stdout.splitlines()]
    assert rows and {r["unit"] for r in rows} == {"Hồ Chí Minh"} and not any(r["verified"] for r in rows)
    assert "bao-binhduong" in {r["id"] for r in rows}
    everything = run_cli("catalogue")
    assert everything.returncode == 0 and "no entry yet for" in everything.stderr  # the missing units are named
    unknown = run_cli("catalogue", "--province", "Sài Gòn")
    assert unknown.returncode == 2 and "--province Sài Gòn" in unknown.stderr


class _Redirect(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(301)
        self.send_header("Location", self.target)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def redirecting(farm: Farm) -> Iterator[str]:
    """A local server that moved: every path redirects to the farm's Hà Tĩnh list (a redesign's new address)."""
    _Redirect.target = farm.portals["baohatinh"].start_urls()[0]
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tin-tuc"
    finally:
        server.shutdown()
        server.server_close()


def test_check_reads_one_list_page_each_and_records_the_answers_locally(farm: Farm, tmp_path: Path,
                                                                         redirecting: str) -> None:
    shipped = DEFAULT_CATALOGUE.read_bytes()
    units = "\n".join(f'[[unit]]\nname = "{u.name}"\nlevel = "{u.level}"\n'
                      f'absorbed = {json.dumps(list(u.absorbed), ensure_ascii=False)}\n' for u in load_catalogue().units)
    vinhyen = farm.portals["vinhyen"].start_urls()[0]
    home = vinhyen.split("/", 3)[:3]
    dead = f"http://127.0.0.1:{free_port()}/"

    def entry(eid: str, url: str, home_url: str) -> str:
        return (f'[[entry]]\nid = "{eid}"\nunit = "Phú Thọ"\nkind = "portal"\nname = "{eid}"\nagency = "UBND {eid}"\n'
                f'home = "{home_url}"\nlists = ["{url}"]\nseen_at = "the farm"\nseen_on = "2026-12-01"\n')

    cat = tmp_path / "cat.toml"
    cat.write_text(units + entry("list", vinhyen, "/".join(home) + "/")
                   + entry("moved", redirecting, redirecting.rsplit("/", 1)[0] + "/")
                   + entry("gone", "/".join(home) + "/khong-co-trang-nay", "http://127.0.0.1:9/")
                   + entry("dead", dead + "tin-tuc", dead), encoding="utf-8")
    state = tmp_path / "state.json"
    result = run_cli("catalogue", "--catalogue", str(cat), "--state", str(state), "--check")
    assert result.returncode == 0, result.stderr
    lines = {line.split(":", 1)[0]: line for line in result.stdout.splitlines()}
    assert lines["list"].startswith("list: a news list") and "article links" in lines["list"]
    assert "redirected to " + farm.portals["baohatinh"].start_urls()[0] in lines["moved"]
    assert "a news list" in lines["moved"]
    assert lines["gone"].startswith("gone: no answer: HTTP 404")
    assert lines["dead"].startswith("dead: no answer:")
    assert "4 checked: 2 answered, 2 look like news lists" in result.stderr
    recorded = json.loads(state.read_text(encoding="utf-8"))
    assert {k for k, v in recorded.items() if v["verified"]} == {"list", "moved"}
    # The verdicts show in what the command prints next; the shipped catalogue is untouched.
    after = [json.loads(line) for line in run_cli("catalogue", "--catalogue", str(cat), "--state", str(state),
                                                  "--json").stdout.splitlines()]
    assert {r["id"]: r["verified"] for r in after} == {"list": True, "moved": True, "gone": False, "dead": False}
    toml = run_cli("catalogue", "--catalogue", str(cat), "--state", str(state)).stdout
    assert "# verified = true: its list answered on" in toml
    assert DEFAULT_CATALOGUE.read_bytes() == shipped
