"""The chat end to end in real Chromium: a visitor and counsellors in separate browser
contexts, a dropped connection in the middle, a transfer with a hand-over note, and coming back
later with the return code. Runs on one process with the in-memory channel layer, and (when
REDIS_URL is set) on two uvicorn worker processes sharing the Redis channel layer."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import (
    CHROMIUM,
    LiveServer,
    _require,
    assert_accessible,
    new_context,
    staff_login,
    start_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REDIS_URL = os.environ.get("REDIS_URL", "")
TIMEOUT = 15_000
# Keeps a handle on the page's WebSockets so the test can cut them like a dropped network would.
SOCKET_SPY = """
(() => {
  const Real = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = function (url, protocols) {
    const ws = protocols ? new Real(url, protocols) : new Real(url);
    window.__sockets.push(ws);
    return ws;
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""


@pytest.fixture(scope="module", params=["one-process", "redis-two-workers"])
def chat_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    _require(CHROMIUM, "Chromium")
    if request.param == "redis-two-workers":
        if not REDIS_URL:
            pytest.skip("REDIS_URL is not set")
        proc, server = start_server(
            tmp_path_factory.mktemp("chat-redis"),
            extra_env={"REDIS_URL": REDIS_URL, "VANGNET_DRAIN_SECONDS": "1"},
            workers=2,
        )
    else:
        proc, server = start_server(tmp_path_factory.mktemp("chat"))
    yield server
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


# Every text the chat's status line shows, in order (a restart must not flash "connection lost").
STATUS_SPY = """
document.addEventListener("DOMContentLoaded", () => {
  window.__statuses = [];
  const el = document.getElementById("chat-status");
  if (!el) { return; }
  new MutationObserver(() => window.__statuses.push(el.textContent.trim()))
    .observe(el, {childList: true, subtree: true, characterData: true});
});
"""


def _workers(pid: int) -> set[int]:
    from pathlib import Path

    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def line(page: Any, text: str) -> Any:
    return page.locator(".chat-log li", has_text=text)


def visitor_starts(
    page: Any, server: LiveServer, *, age: str = "16_17", danger: str = "no"
) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name=re.compile("Chat nu")).click()
    page.check(f"input[name=age_group][value='{age}']")
    page.check(f"input[name=danger_now][value='{danger}']")
    page.get_by_role("button", name="Start de chat").click()
    page.wait_for_url(server.url + "/chat/talk")


def counsellor_takes_next(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/staff/chat/")
    page.get_by_role("button", name="Neem de volgende chat").click()
    page.wait_for_url(re.compile(r".*/staff/chat/[0-9a-f-]{36}/$"))


def staff_page(ctx: Any, server: LiveServer, username: str) -> Any:
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT)
    staff_login(page, server, username)
    return page


def say(page: Any, text: str) -> None:
    page.fill("#id_body", text)
    page.press("#id_body", "Enter")


def test_visitor_and_counsellors_chat_with_reconnect_transfer_and_return_code(chat_server, browser):
    server = chat_server
    visitor_ctx = new_context(browser)
    visitor_ctx.add_init_script(SOCKET_SPY)
    staff_ctx = new_context(browser)
    colleague_ctx = new_context(browser)
    try:
        visitor = visitor_ctx.new_page()
        visitor.set_default_timeout(TIMEOUT)
        visitor_starts(visitor, server)
        visitor.locator("#chat-status", has_text="Je wacht op een hulpverlener").wait_for()
        assert_accessible(visitor)

        counsellor = staff_ctx.new_page()
        counsellor.set_default_timeout(TIMEOUT)
        staff_login(counsellor, server, "counsellor.meldpunt")
        counsellor.goto(server.url + "/staff/chat/")
        counsellor.get_by_text("Wachtend: 1 chat").wait_for()
        assert_accessible(counsellor)
        counsellor_takes_next(counsellor, server)

        # They chat, both ways, with typing indication.
        line(visitor, "Er is nu een hulpverlener").wait_for()
        say(visitor, "Hoi, ik durf niet naar huis")
        line(counsellor, "Hoi, ik durf niet naar huis").wait_for()
        counsellor.fill("#id_body", "Fijn dat je er bent")
        counsellor.type("#id_body", ".")
        visitor.get_by_text("De hulpverlener typt").wait_for()
        counsellor.press("#id_body", "Enter")
        line(visitor, "Fijn dat je er bent.").wait_for()
        assert_accessible(counsellor)

        # The visitor's connection drops: a line typed meanwhile waits, and a line from the
        # counsellor sent meanwhile arrives after the reconnect. Nothing is lost or doubled.
        visitor_ctx.set_offline(True)
        visitor.evaluate("window.__sockets.forEach(s => s.close())")
        visitor.get_by_text("De verbinding is weg").wait_for()
        say(visitor, "Ben je er nog?")
        pending = line(visitor, "Ben je er nog?")
        pending.wait_for()
        assert "Versturen" in pending.inner_text()
        say(counsellor, "Ik ben er nog, neem je tijd")
        visitor_ctx.set_offline(False)
        line(visitor, "Ik ben er nog, neem je tijd").wait_for()
        line(counsellor, "Ben je er nog?").wait_for()
        visitor.wait_for_function("!document.querySelector('.chat-line--pending')")
        assert line(visitor, "Ben je er nog?").count() == 1
        assert line(counsellor, "Ben je er nog?").count() == 1
        assert line(visitor, "Ik ben er nog").count() == 1

        # Transfer to a colleague with a hand-over note.
        colleague = colleague_ctx.new_page()
        colleague.set_default_timeout(TIMEOUT)
        staff_login(colleague, server, "supervisor.meldpunt")
        ruben = counsellor.locator("#id_to option", has_text="Ruben").get_attribute("value")
        counsellor.select_option("#id_to", ruben)
        counsellor.fill("#id_note", "Meisje 16, bang voor vader, nu veilig op school")
        counsellor.get_by_role("button", name="Draag de chat over").click()
        counsellor.wait_for_url(server.url + "/staff/chat/")
        line(visitor, "Je praat nu met een andere hulpverlener").wait_for()
        colleague.goto(server.url + "/staff/chat/")
        # (Follow the link's address: console.js may be replacing the list at that moment.)
        href = colleague.get_by_role(
            "link", name=re.compile(r"Chat [0-9a-f]{8}")
        ).first.get_attribute("href")
        colleague.goto(server.url + href)
        colleague.get_by_text("Meisje 16, bang voor vader").wait_for()
        line(colleague, "Hoi, ik durf niet naar huis").wait_for()
        say(colleague, "Hoi, ik neem het over van mijn collega")
        line(visitor, "ik neem het over").wait_for()

        # The visitor gets a return code and closes the tab.
        visitor.get_by_role("button", name="Vraag een terugkeercode").click()
        code = visitor.locator("[data-return-code]").inner_text().strip()
        assert re.fullmatch(r"([0-9A-Z]{4}-){8}[0-9A-Z]{4}", code)
        assert code not in visitor.url
        assert_accessible(visitor)
        visitor_ctx.close()
        colleague.get_by_role("button", name="Beëindig de chat").click()
        colleague.get_by_text("De hulpverlener heeft de chat beëindigd").first.wait_for()

        # Later, on another device, the visitor continues the same conversation with the code.
        later_ctx = new_context(browser)
        later = later_ctx.new_page()
        later.set_default_timeout(TIMEOUT)
        later.goto(server.url + "/chat/")
        later.get_by_role("link", name="Ga verder met een eerdere chat met je code").click()
        later.fill("#id_code", code.lower())
        later.get_by_role("button", name="Verder").click()
        later.wait_for_url(server.url + "/chat/talk")
        line(later, "Hoi, ik durf niet naar huis").wait_for()
        line(later, "ik neem het over").wait_for()
        later.locator("#chat-status", has_text="Je wacht op een hulpverlener").wait_for()
        counsellor_takes_next(colleague, server)
        say(later, "Ik ben terug")
        line(colleague, "Ik ben terug").wait_for()
        line(colleague, "Hoi, ik durf niet naar huis").wait_for()  # same contact, same thread
        say(colleague, "Welkom terug")
        line(later, "Welkom terug").wait_for()
        later.get_by_role("button", name="Beëindig de chat").click()
        later_ctx.close()
    finally:
        for ctx in (staff_ctx, colleague_ctx):
            ctx.close()

    log = server.log()
    # The only addresses allowed in the log are the server's own and Redis's, never a client's.
    known = {server.url.rsplit(":", 1)[1], "6379"}
    ports = set(re.findall(r"127\.0\.0\.1:(\d+)", log))
    assert ports <= known, f"client addresses in the log: {ports - known}"
    assert "HeadlessChrome" not in log and "Mozilla/5.0" not in log


def test_a_visitor_without_javascript_chats_by_posting_the_form(chat_server, browser):
    server = chat_server
    visitor_ctx = new_context(browser, javascript=False)
    staff_ctx = new_context(browser)
    try:
        visitor = visitor_ctx.new_page()
        visitor.set_default_timeout(TIMEOUT)
        visitor_starts(visitor, server, age="12_15", danger="yes")
        assert visitor.get_by_role("link", name="Bel 112").is_visible()
        visitor.get_by_role(
            "link", name="Vernieuw deze pagina automatisch terwijl ik wacht"
        ).click()
        assert visitor.locator("meta[http-equiv=refresh]").count() == 1
        visitor.get_by_role("link", name="Stop met automatisch vernieuwen").click()
        visitor.fill("#id_body", "Ik heb geen javascript")
        visitor.get_by_role("button", name="Verstuur").click()
        line(visitor, "Ik heb geen javascript").wait_for()
        assert_accessible(visitor)

        counsellor = staff_page(staff_ctx, server, "counsellor.meldpunt")
        counsellor_takes_next(counsellor, server)
        line(counsellor, "Ik heb geen javascript").wait_for()
        say(counsellor, "Dat geeft niets, ik lees je gewoon")
        line(counsellor, "Dat geeft niets").wait_for()

        visitor.fill("#id_body", "half getypt")
        visitor.get_by_role("button", name="Kijk of er nieuwe berichten zijn").click()
        line(visitor, "Dat geeft niets, ik lees je gewoon").wait_for()
        assert visitor.input_value("#id_body") == "half getypt"
        visitor.get_by_role("button", name="Beëindig de chat").click()
        visitor.get_by_text("Deze chat is gestopt").first.wait_for()
    finally:
        visitor_ctx.close()
        staff_ctx.close()


def test_the_supervisor_sees_live_figures_without_content(chat_server, browser):
    server = chat_server
    ctx = new_context(browser)
    visitor_ctx = new_context(browser)
    try:
        page = ctx.new_page()
        page.set_default_timeout(TIMEOUT)
        staff_login(page, server, "supervisor.meldpunt")
        page.goto(server.url + "/staff/chat/supervise")
        waiting = page.locator("[data-figure=waiting]")
        before = int(waiting.inner_text())
        visitor = visitor_ctx.new_page()
        visitor_starts(visitor, server)
        figure = "parseInt(document.querySelector('[data-figure=waiting]').textContent)"
        page.wait_for_function(f"{figure} === {before + 1}", timeout=TIMEOUT)
        assert_accessible(page)
        visitor.get_by_role("button", name="Beëindig de chat").click()
    finally:
        ctx.close()
        visitor_ctx.close()


# Only the two-worker server has workers to restart (the module's server of that kind is reused).
@pytest.mark.parametrize("chat_server", ["redis-two-workers"], indirect=True)
def test_a_rolling_restart_of_the_workers_keeps_the_chat_going(chat_server, browser):
    """SIGHUP: both worker processes are replaced one after the other while visitor and
    counsellor keep writing. Their sockets are closed with 1012 and come back at once; every
    line arrives once, nothing stays "sending", and the visitor never sees "connection lost"."""
    import signal
    import time

    server = chat_server
    visitor_ctx = new_context(browser)
    staff_ctx = new_context(browser)
    for ctx in (visitor_ctx, staff_ctx):
        ctx.add_init_script(SOCKET_SPY)
        ctx.add_init_script(STATUS_SPY)
    try:
        visitor = visitor_ctx.new_page()
        visitor.set_default_timeout(TIMEOUT)
        visitor_starts(visitor, server)
        counsellor = staff_page(staff_ctx, server, "counsellor.meldpunt")
        counsellor_takes_next(counsellor, server)
        line(visitor, "Er is nu een hulpverlener").wait_for()
        say(visitor, "Voor de herstart")
        line(counsellor, "Voor de herstart").wait_for()

        before = _workers(server.pid)
        assert len(before) == 2
        os.kill(server.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        n = 0
        while before & _workers(server.pid):
            assert time.monotonic() < deadline, "the workers were not restarted"
            n += 1
            say(visitor, f"Bezoeker tijdens herstart {n}")
            say(counsellor, f"Hulpverlener tijdens herstart {n}")
            time.sleep(0.3)
        say(visitor, "Weer rustig hier")
        say(counsellor, "Alles is goed gegaan")
        line(counsellor, "Weer rustig hier").wait_for()
        line(visitor, "Alles is goed gegaan").wait_for()
        for page in (visitor, counsellor):
            page.wait_for_function("!document.querySelector('.chat-line--pending')")
            # Both workers were replaced, so each page's socket was closed at least once.
            assert page.evaluate("window.__sockets.length") >= 2
        for i in range(1, n + 1):
            for page in (visitor, counsellor):
                assert line(page, f"Bezoeker tijdens herstart {i}").count() == 1
                assert line(page, f"Hulpverlener tijdens herstart {i}").count() == 1
        statuses = visitor.evaluate("window.__statuses")
        assert not any("verbinding is weg" in text for text in statuses), statuses
        assert len(_workers(server.pid)) == 2
    finally:
        visitor_ctx.close()
        staff_ctx.close()
