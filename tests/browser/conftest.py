# SPDX-License-Identifier: EUPL-1.2
"""Browser tests: the real server (`vangnet serve`, ASGI, a file SQLite database with demo data)
driven by Debian's Chromium through Playwright, with axe-core injected for accessibility.

Without /usr/bin/chromium (or npm's axe-core) these tests are skipped with the reason shown,
except under CI=true, where a missing browser is an error: nothing is skipped silently on CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vangnet.lib import devserver

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NEUTRAL_URL = "https://neutral.invalid/weather"


def _require(path: Path | str, what: str) -> None:
    if not Path(path).exists():
        message = f"{what} not found at {path}: run `make install` / apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class LiveServer:
    url: str
    log_path: Path
    env: dict[str, str]
    pid: int = 0  # the server process (the supervisor when there are several workers)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "vangnet.cli", "manage", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            cwd=ROOT,
        )
        return result.stdout


def start_server(
    tmp: Path, extra_env: dict[str, str] | None = None, workers: int = 1
) -> tuple[subprocess.Popen[bytes], LiveServer]:
    """A real server on a fresh SQLite file with demo data (see vangnet.lib.devserver)."""
    overrides = {
        "DATABASE_URL": f"sqlite:///{tmp / 'browser.sqlite3'}",
        "VANGNET_QUICK_EXIT_URL": NEUTRAL_URL,
        "VANGNET_LOG_LEVEL": "DEBUG",
        **(extra_env or {}),
    }
    server = devserver.start(tmp, overrides, workers=workers)
    return server.process, LiveServer(server.url, server.log_path, server.env, server.process.pid)


@pytest.fixture(scope="session")
def live_server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _require(CHROMIUM, "Chromium")
    proc, server = start_server(tmp_path_factory.mktemp("live"))
    yield server
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


def new_context(browser: Any, *, javascript: bool = True, locale: str = "nl-NL") -> Any:
    """A fresh browser profile. The neutral quick-exit site is answered locally (no internet)."""
    context = browser.new_context(java_script_enabled=javascript, locale=locale, bypass_csp=True)
    context.vg_javascript = javascript  # read by assert_accessible
    context.route(
        "https://neutral.invalid/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang='nl'><title>Weer</title><h1>Het weer</h1></html>",
        ),
    )
    return context


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


def assert_accessible(page: Any) -> None:
    """axe-core, WCAG 2.1 A and AA rules, in the real browser: no violations allowed.

    A page in a context without JavaScript cannot run axe itself; its exact HTML is then
    served at the same URL to a scratch page with JavaScript (styles load from the server).
    """
    _require(AXE, "axe-core (npm ci)")
    if not getattr(page.context, "vg_javascript", True):
        html, url = page.content(), page.url
        scratch_context = page.context.browser.new_context(bypass_csp=True)
        try:
            scratch = scratch_context.new_page()
            scratch.route(
                url, lambda route: route.fulfill(status=200, content_type="text/html", body=html)
            )
            scratch.goto(url)
            assert_accessible(scratch)
        finally:
            scratch_context.close()
        return
    # A click may still be navigating: inject only into a loaded document, once more on a race.
    page.wait_for_load_state("load")
    try:
        page.add_script_tag(path=str(AXE))
    except Exception:  # playwright Error: the document was replaced while injecting
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not problems, "axe-core violations on " + page.url + ":\n" + "\n".join(problems)


def demo_totp(username: str) -> str:
    """The current TOTP code of a demo user (the demo derives keys from the user name)."""
    from django_otp.oath import totp

    from vangnet.accounts.demo import demo_totp_key

    return f"{totp(bytes.fromhex(demo_totp_key(username)), step=30, digits=6):06d}"


def staff_login(page: Any, server: LiveServer, username: str) -> None:
    """Log in as a demo user. A TOTP code is accepted once (replay protection), so a second
    login of the same user within one 30-second step waits for the next step."""
    from vangnet.accounts.demo import DEMO_PASSWORD

    for attempt in range(2):
        page.goto(server.url + "/staff/login")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.fill("#id_otp_token", demo_totp(username))
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if "/staff/login" not in page.url:
            return
        if attempt == 0:
            time.sleep(30 - time.time() % 30 + 1)
    raise AssertionError(f"demo login failed for {username}")
