"""Real browser: the disambiguation page of a written name and a person page's "why joined" section
(issue 14), on invented pages, screenshots in test-artefacts/."""

from __future__ import annotations

import pytest

from kg.ingest import ingest_file
from kg.store import open_store
from kg.web.app import create_app
from tests.identity.test_identity import CITIES, page
from tests.support.browser import chromium, require_browser, screenshot, serve

BASE = "http://identity-browser.test"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    require_browser()
    tmp = tmp_path_factory.mktemp("idb")
    store = open_store(tmp / "store")
    for i, city in enumerate(CITIES[:3]):
        for j in range(2):
            p = page(tmp / "pages", f"b{i}{j}", city, f"202{j + 1}-0{i + 3}-0{j + 2}", f"{city}会议{j}",
                     f"本报讯 {city}召开第{j + 1}次会议。市委书记王伟出席并讲话。副市长郑文博主持。")
            ingest_file(store, p, base=BASE)
    with serve(create_app(store, BASE)) as url, chromium() as driver:
        yield url, driver
    store.close()


def test_disambiguation_page_and_why_joined(site) -> None:
    from selenium.webdriver.common.by import By

    url, driver = site
    driver.get(f"{url}/name?q=王伟")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.namesakes tbody tr")
    assert len(rows) == 3
    assert {r.find_elements(By.TAG_NAME, "td")[1].text for r in rows} == set(CITIES[:3])
    shot = screenshot(driver, "identity-namesakes")
    assert shot.stat().st_size > 5000
    rows[0].find_element(By.TAG_NAME, "a").click()
    section = driver.find_element(By.ID, "identity")
    assert "同名且任职于同一辖区" in section.text and "2021" in section.text and "2022" in section.text
    others = section.find_elements(By.CSS_SELECTOR, "ul.namesakes li")
    assert len(others) == 2
    driver.execute_script("document.getElementById('identity').scrollIntoView()")
    assert screenshot(driver, "identity-why-joined").stat().st_size > 5000

