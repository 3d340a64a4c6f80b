"""The CLI contract: help with examples for every command, README coverage, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.conftest import REPO, run_cli

COMMANDS = [["crawl"], ["export"], ["feeds"], ["feeds", "build"], ["history"], ["meetings"], ["schedule"], ["serve"], ["sources"],
            ["status"], ["try"], ["discover"], ["worker"], ["catalogue"]]


def _all_commands() -> list[list[str]]:
    found = []
    for name, cmd in cli.commands.items():
        found.append([name])
        for sub in getattr(cmd, "commands", {}):
            found.append([name, sub])
    return found


def test_command_list_is_complete() -> None:
    assert sorted(_all_commands()) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_help_with_example_and_is_in_readme(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"portalwatch {' '.join(command)}" in readme or f"portalwatch [--db URL] {' '.join(command)}" in readme


def test_bad_config_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nprovince = "P"\nagency = "A"\n'
                   'start_urls = ["http://127.0.0.1:9/"]\ncolour = 1\n', encoding="utf-8")
    result = run_cli("--db", str(tmp_path / "db.sqlite"), "--sources", str(bad), "crawl")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1
    assert "bad.toml" in error_lines[0] and "source 'x'" in error_lines[0] and "key 'colour'" in error_lines[0]


def test_missing_sources_file_and_unknown_source(tmp_path: Path) -> None:
    missing = run_cli("--sources", str(tmp_path / "none.toml"), "crawl")
    assert missing.returncode == 2 and "none.toml: sources file not found" in missing.stderr
    unknown = run_cli("--sources", str(REPO / "sources.toml"), "--db", str(tmp_path / "d.db"), "crawl", "--source", "nope")
    assert unknown.returncode == 2 and "no source with id 'nope'" in unknown.stderr


def test_bad_database_url_is_one_line(tmp_path: Path) -> None:
    result = run_cli("--db", "notadriver://x/y", "export")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "notadriver" in result.stderr


def test_env_var_selects_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = run_cli("export", env={"PORTALWATCH_DB": str(db)})
    assert result.returncode == 0 and result.stdout == ""
    assert db.exists()


def test_serve_serves_feeds_then_stops_on_sigint(tmp_path: Path) -> None:
    import urllib.request

    import feedparser

    from tests.conftest import Served

    served = Served(tmp_path / "d.db", tmp_path / "no-sources.toml")  # an empty store, no sources file
    try:
        with urllib.request.urlopen(f"{served.base}/feeds/meetings.rss") as resp:
            assert resp.headers["Content-Type"].startswith("application/rss+xml")
            body = resp.read()
        assert feedparser.parse(body).bozo == 0 and body
    finally:
        code, err = served.stop()
        assert code == 0, err


def test_every_option_of_every_command_has_help() -> None:
    import click

    from crawler.cli import cli

    def walk(group: click.Group, prefix: str) -> list[str]:
        missing = []
        for name, command in group.commands.items():
            where = f"{prefix} {name}".strip()
            missing += [f"{where} {p.opts[0]}" for p in command.params
                        if isinstance(p, click.Option) and not (p.help or "").strip() and p.opts[0] != "--help"]
            if isinstance(command, click.Group):
                missing += walk(command, where)
        return missing

    assert walk(cli, "") == []
