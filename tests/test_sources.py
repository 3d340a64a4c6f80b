"""Sources file validation: errors name the file, the source id and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import ConfigError, load_sources, parse_sources

GOOD = """
[[source]]
id = "a"
name = "Portal A"
province = "Vĩnh Phúc"
agency = "Sở Xây dựng"
start_urls = ["http://127.0.0.1:1/list"]

[source.list]
item = "h3 a"

[source.article]
title = "h1"
date = ".date"
"""


def test_valid_file_with_selectors() -> None:
    [s] = parse_sources(GOOD, "x.toml")
    assert s.id == "a" and s.list.item == "h3 a" and s.article.title == "h1" and s.article.body is None


def test_zero_config_source_needs_only_start_urls() -> None:
    [s] = parse_sources('[[source]]\nid="b"\nname="B"\nprovince="P"\nagency="A"\nstart_urls=["https://x.gov.vn/"]\n')
    assert s.list.item is None and s.article.title is None


@pytest.mark.parametrize(("text", "needles"), [
    (GOOD.replace('agency = "Sở Xây dựng"', 'agency = "Sở Xây dựng"\nschedule = "1h"'),
     ["x.toml", "source 'a'", "key 'schedule'", "unknown key"]),
    (GOOD.replace('start_urls = ["http://127.0.0.1:1/list"]', 'start_urls = "http://127.0.0.1:1/list"'),
     ["x.toml", "source 'a'", "key 'start_urls'", "array"]),
    (GOOD.replace('name = "Portal A"', "name = 5"), ["x.toml", "source 'a'", "key 'name'", "string"]),
    (GOOD.replace('province = "Vĩnh Phúc"\n', ""), ["x.toml", "source 'a'", "key 'province'", "missing"]),
    (GOOD.replace('item = "h3 a"', 'items = "h3 a"'), ["x.toml", "source 'a'", "key 'list.items'", "unknown"]),
    (GOOD.replace('title = "h1"', "title = 1"), ["x.toml", "source 'a'", "key 'article.title'"]),
    (GOOD.replace('["http://127.0.0.1:1/list"]', '["ftp://x/"]'), ["source 'a'", "key 'start_urls'", "http"]),
    (GOOD + GOOD.replace("[source.list]", "").replace('item = "h3 a"', ""), ["source 'a'", "duplicate"]),
    ("[[source]\nid=", ["x.toml", "invalid TOML"]),
    ('[source]\nid="a"', ["x.toml", "[[source]]"]),
])
def test_bad_config_names_file_source_and_key(text: str, needles: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        parse_sources(text, "x.toml")
    message = str(err.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_sources(tmp_path / "nope.toml")


def test_repository_sources_file_is_valid() -> None:
    sources = load_sources(Path(__file__).parent.parent / "sources.toml")
    assert len(sources) >= 4
