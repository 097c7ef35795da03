"""A real uvicorn server on a free loopback port and Debian's chromium driven by Selenium.

Nothing is downloaded: the driver is /usr/bin/chromedriver and the browser /usr/bin/chromium (both
from Debian, installed by scripts/setup.sh). Without them the browser tests skip with the reason,
except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSKG_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("NEWSKG_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN"]


def require_browser() -> None:
    """Skip (fail in CI) when chromium, chromedriver or selenium is missing."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() and os.access(p, os.X_OK))]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[test]')")
    if missing:
        reason = "browser tests need " + ", ".join(missing) + " (scripts/setup.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app: object) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread; yields its http://127.0.0.1:PORT address."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian chromium with a fresh profile, driven through Debian's chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch anything
    profile = tempfile.mkdtemp(prefix="newskg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for f in FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: object, name: str) -> Path:
    """A full-page PNG in test-artefacts/ (the window is stretched to the page's height)."""
    ARTEFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 800)")  # type: ignore[attr-defined]
    driver.set_window_size(1280, min(int(height) + 40, 6000))  # type: ignore[attr-defined]
    path = ARTEFACTS / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    driver.set_window_size(1280, 1000)  # type: ignore[attr-defined]
    return path


@contextmanager
def viewport(driver: object, width: int, height: int, mobile: bool = False) -> Iterator[None]:
    """Emulate a viewport of exactly ``width`` × ``height`` CSS pixels (a phone with ``mobile``: the
    page's meta viewport applies), through the DevTools protocol; the window's size does not set the
    viewport exactly in headless chromium. Restored on exit."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # type: ignore[attr-defined]
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # type: ignore[attr-defined]


def screen(driver: object, name: str) -> Path:
    """A PNG of what the viewport shows now (the first screen after a load): what a reader sees
    before scrolling."""
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path


def full_page(driver: object, name: str, width: int, mobile: bool = False) -> Path:
    """A full-page PNG at ``width`` CSS pixels (the viewport stretched to the page's height, at most
    6,000 px)."""
    ARTEFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, 800)")  # type: ignore[attr-defined]
    with viewport(driver, width, min(int(height), 6000), mobile):
        path = ARTEFACTS / f"{name}.png"
        driver.save_screenshot(str(path))  # type: ignore[attr-defined]
    return path


AXE = Path(__file__).resolve().parents[1] / "browser-tools" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(driver, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (installed by scripts/setup.sh from tests/browser-tools, injected from its local file:
    no network) on the page in ``driver``; its violations of the given impacts, one line each.

    Fails (never skips) when axe-core is not installed: the browser is there, so the check can run."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup.sh (npm ci in tests/browser-tools)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    found = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120))}))))
          .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));""")
    return [f"{v['impact']} {v['id']}: {v['help']} — {' | '.join(v['nodes'])}" for v in found
            if v["impact"] in impacts]
