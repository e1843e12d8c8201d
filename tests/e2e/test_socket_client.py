"""The shared socket client (oswiata_kit/static/oswiata_kit/socket.js) of the live topic, the live forum list and
the notification bell: reconnects with growing, jittered waits; stops for good on the final close codes; says
things through a live region. Driven in Chromium with a stand-in WebSocket and recorded timers, so every wait
is seen without waiting."""

from pathlib import Path

import pytest

from tests.e2e.conftest import new_page

pytestmark = pytest.mark.e2e

SOCKET_JS = Path(__file__).resolve().parents[2] / "oswiata_kit" / "static" / "oswiata_kit" / "socket.js"

STAND_INS = """
window.sockets = [];
window.waits = [];
window.later = [];
window.heard = [];
class StandInSocket {
  constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; this.sent = []; sockets.push(this); }
  addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
  send(data) { this.sent.push(data); }
  close() { this.drop(1000); }
  fire(type, event) { (this.listeners[type] || []).forEach((listener) => listener(event)); }
  open() { this.readyState = 1; this.fire("open", {}); }
  drop(code) { this.readyState = 3; this.fire("close", {code: code}); }
  say(text) { this.fire("message", {data: text}); }
}
StandInSocket.OPEN = 1;
window.WebSocket = StandInSocket;
window.setTimeout = (callback, wait) => { waits.push(wait); later.push(callback); return later.length; };
window.runLater = () => { const due = later.splice(0); due.forEach((callback) => callback()); };
Math.random = () => 0;
window.client = null;
window.start = (path) => {
  client = OswiataSocket.connect(path, {
    onMessage: (message) => heard.push(["message", message]),
    onOpen: () => heard.push(["open"]),
    onClose: (event) => heard.push(["close", event.code]),
    onFinal: (event) => heard.push(["final", event.code]),
  });
};
"""


@pytest.fixture
def page(browser):
    page = new_page(browser)
    page.set_content("<main><p role='status' aria-live='polite' id='region'></p></main>")
    page.add_script_tag(content=STAND_INS)
    page.add_script_tag(content=SOCKET_JS.read_text(encoding="utf-8"))
    yield page
    page.context.close()


def test_socket_client_reconnects_with_growing_jittered_waits(page):
    page.evaluate("start('/ws/fora/watki/7/')")
    for _drop in range(8):
        page.evaluate("sockets[sockets.length - 1].drop(1006); runLater()")
    # Math.random() is 0 here: each wait is the lower half of 0.5 s, 1 s, 2 s, ... capped at 30 s.
    assert page.evaluate("waits") == [250, 500, 1000, 2000, 4000, 8000, 15000, 15000]
    assert page.evaluate("sockets.length") == 9
    assert page.evaluate("sockets[0].url").endswith("/ws/fora/watki/7/")
    page.evaluate("Math.random = () => 0.999; sockets[sockets.length - 1].drop(1006)")
    assert 29_000 < page.evaluate("waits[waits.length - 1]") <= 30_000


def test_socket_client_ready_starts_the_waits_again_from_the_shortest(page):
    page.evaluate("start('/ws/konto/')")
    for _drop in range(3):
        page.evaluate("sockets[sockets.length - 1].drop(1006); runLater()")
    page.evaluate("sockets[sockets.length - 1].open(); client.ready(); sockets[sockets.length - 1].drop(1011)")
    assert page.evaluate("waits") == [250, 500, 1000, 250]


@pytest.mark.parametrize("code", [4001, 4401, 4403])
def test_socket_client_stops_for_good_on_a_final_close_code(page, code):
    page.evaluate("start('/ws/fora/3/')")
    page.evaluate(f"sockets[0].open(); sockets[0].drop({code}); runLater()")
    assert page.evaluate("sockets.length") == 1
    assert page.evaluate("waits") == []
    assert page.evaluate("heard") == [["open"], ["close", code], ["final", code]]


def test_socket_client_stop_does_not_reconnect(page):
    page.evaluate("start('/ws/fora/3/'); sockets[0].open(); client.stop(); runLater()")
    assert page.evaluate("sockets.length") == 1
    assert page.evaluate("heard") == [["open"], ["close", 1000], ["final", 1000]]


def test_socket_client_hands_over_json_messages_and_sends_only_when_open(page):
    page.evaluate("start('/ws/fora/watki/7/')")
    assert page.evaluate("client.send({type: 'ping'})") is False
    page.evaluate('sockets[0].open(); sockets[0].say(\'{"type": "hello", "last_seq": 4}\'); sockets[0].say(\'<b>\')')
    assert page.evaluate("client.isOpen()") is True
    assert page.evaluate("client.send({type: 'resync', after: 4})") is True
    assert page.evaluate("sockets[0].sent") == ['{"type":"resync","after":4}']
    assert page.evaluate("heard") == [["open"], ["message", {"type": "hello", "last_seq": 4}]]


def test_socket_client_announce_clears_the_region_before_it_speaks(page):
    page.evaluate("document.getElementById('region').textContent = 'Nowa odpowiedź'")
    page.evaluate("OswiataSocket.announce(document.getElementById('region'), 'Nowa odpowiedź')")
    assert page.evaluate("document.getElementById('region').textContent") == ""
    page.evaluate("runLater()")
    assert page.evaluate("document.getElementById('region').textContent") == "Nowa odpowiedź"


def test_socket_client_loaded_twice_keeps_one_client(page):
    page.evaluate("window.first = OswiataSocket")
    page.add_script_tag(content=SOCKET_JS.read_text(encoding="utf-8"))
    assert page.evaluate("OswiataSocket === window.first") is True
