"""The pages as a reader sees them: headless Chromium (Debian's chromium and chromedriver, which
`make test` installs when missing) driven through Selenium against `portalwatch serve`.

Screenshots of each step are saved under tests/artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, Served
from tests.farm import Farm
from tests.farm.hostile import HOSTILE_TITLE, SCRIPT_MARK

ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("headless Chromium not available: `make test` installs Debian's chromium and chromium-driver "
                    "with apt-get, which needs root and the Debian mirrors")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # No sandbox as root; no background traffic, since this machine reaches no network.
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=414,896"):
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={ARTIFACTS / '.chromium-profile'}")
    ARTIFACTS.mkdir(exist_ok=True)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(ARTIFACTS / ".chromium-profile", ignore_errors=True)


@pytest.mark.parametrize("hostile_site", ["sqlite"], indirect=True)  # the server is tested on both in test_server
def test_a_reader_filters_searches_and_reads_an_article(browser: object, hostile_site: tuple[Farm, Served]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from portaltext.meeting.kinds import KINDS

    d: WebDriver = browser  # type: ignore[assignment]
    base = hostile_site[1].base

    # The index: feeds to subscribe to, found by readers' autodiscovery too.
    d.get(base + "/")
    assert d.find_element(By.CSS_SELECTOR, "link[rel=alternate][type='application/atom+xml']").get_attribute("href") \
        == base + "/feeds/meetings.atom"
    assert d.find_element(By.LINK_TEXT, "Atom").is_displayed()
    d.save_screenshot(str(ARTIFACTS / "01-index.png"))

    # The list, filtered by kind through the form.
    d.get(base + "/meetings")
    all_total = int(d.find_element(By.ID, "total").text.split()[0])
    Select(d.find_element(By.ID, "kind")).select_by_value("giam-sat")
    d.find_element(By.ID, "apply").click()
    WebDriverWait(d, 30).until(lambda drv: "kind=giam-sat" in drv.current_url)
    lines = [e.text for e in d.find_elements(By.CSS_SELECTOR, "p.record")]
    assert lines and all(line.startswith(KINDS["giam-sat"]) for line in lines)
    assert 0 < int(d.find_element(By.ID, "total").text.split()[0]) < all_total
    d.save_screenshot(str(ARTIFACTS / "02-filtered.png"))

    # A search without diacritics, shown with the original words highlighted.
    Select(d.find_element(By.ID, "kind")).select_by_value("")
    box = d.find_element(By.ID, "q")
    box.clear()
    box.send_keys("hoi nghi so ket")
    d.find_element(By.ID, "apply").click()
    WebDriverWait(d, 30).until(lambda drv: "q=hoi+nghi+so+ket" in drv.current_url)
    marks = [m.text for m in d.find_elements(By.CSS_SELECTOR, ".results mark")]
    assert {"nghị", "sơ", "kết"} <= {m.lower() for m in marks}
    d.save_screenshot(str(ARTIFACTS / "03-search.png"))

    # An article: its meeting record and the way back to the portal.
    first = d.find_element(By.CSS_SELECTOR, ".results h2 a")
    title = first.text
    first.click()
    WebDriverWait(d, 30).until(lambda drv: "/articles/" in drv.current_url)
    assert d.find_element(By.ID, "article-title").text == title
    record = d.find_element(By.ID, "record")
    assert record.is_displayed() and "Meeting record" in record.text
    assert d.find_element(By.PARTIAL_LINK_TEXT, "Xem bài gốc").get_attribute("href").startswith("http://127.0.0.1:")
    d.save_screenshot(str(ARTIFACTS / "04-article.png"))


@pytest.mark.parametrize("hostile_site", ["sqlite"], indirect=True)  # the server is tested on both in test_server
def test_a_hostile_article_is_inert_in_the_browser(browser: object, hostile_site: tuple[Farm, Served]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

    d: WebDriver = browser  # type: ignore[assignment]
    base = hostile_site[1].base
    d.get(base + "/search?q=" + "script tieu de")
    link = next(a for a in d.find_elements(By.CSS_SELECTOR, ".results h2 a") if a.text == HOSTILE_TITLE)
    link.click()
    WebDriverWait(d, 30).until(lambda drv: "/articles/" in drv.current_url)
    assert d.find_element(By.ID, "article-title").text == HOSTILE_TITLE, "markup in the title shows as text"
    assert SCRIPT_MARK not in d.title and "pwned" not in d.title, "no script ran"
    assert d.execute_script("return document.scripts.length") == 0
    for tag in ("iframe", "object", "embed", "form", "style", "svg"):
        assert d.find_elements(By.CSS_SELECTOR, f"#body {tag}") == [], tag
    overlays = d.execute_script("return [...document.querySelectorAll('#body *')]"
                                ".filter(e => ['fixed', 'absolute'].includes(getComputedStyle(e).position)).length")
    assert overlays == 0
    hrefs = [a.get_attribute("href") or "" for a in d.find_elements(By.CSS_SELECTOR, "#body a")]
    assert hrefs and all(h == "" or h.startswith("http://127.0.0.1:") for h in hrefs)
    d.save_screenshot(str(ARTIFACTS / "05-hostile-article.png"))
    assert Path(ARTIFACTS / "05-hostile-article.png").stat().st_size > 1000
