"""A password change on one daphne worker reaches the person's sockets on the other through Redis.

The change is made over HTTP on worker A (its middleware, its channel layer); the other session's socket, on
worker B, closes with 4001, while the changing session's own socket, on worker B too, stays open and still
receives posts.
"""

import asyncio
import http.client
import re
import time
from urllib.parse import urlencode, urlparse

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.live_client import LiveReader, Writer
from tests.multiworker.conftest import ORIGIN, session_cookie

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Zupelnie-Inne-Haslo-2026"


def change_password_over_http(base_url: str, cookie: str) -> int:
    """The password-change form, as a browser fills it in (with its CSRF token); the answer's status."""
    host = urlparse(base_url)

    def request(method, body=None, extra_cookie=""):
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=15)
        headers = {"Cookie": cookie + extra_cookie, "Origin": base_url, "Referer": f"{base_url}/konto/haslo/zmiana/"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, "/konto/haslo/zmiana/", body=body, headers=headers)
        response = connection.getresponse()
        return response, response.read().decode()

    page, html = request("GET")
    assert page.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "").group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "old_password": DEFAULT_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    answer, _html = request("POST", urlencode(form), extra_cookie=f"; csrftoken={csrf_cookie}")
    return answer.status


def test_password_change_on_worker_a_closes_the_other_session_on_worker_b(cluster, discussion):
    worker_a, worker_b = cluster
    topic = discussion["topic"]
    person = discussion["readers"][0]
    changing_cookie, other_cookie = session_cookie(person), session_cookie(person)
    writer_cookie = session_cookie(discussion["writer"])

    async def scenario():
        kept = LiveReader([worker_b.ws_url], topic.pk, changing_cookie, ORIGIN, last_seq=topic.last_seq)
        ended = LiveReader([worker_b.ws_url], topic.pk, other_cookie, ORIGIN, last_seq=topic.last_seq)
        for reader in (kept, ended):
            reader.start()
            await asyncio.wait_for(reader.connected.wait(), 15)
        status = await asyncio.to_thread(change_password_over_http, worker_a.url, changing_cookie)
        changed_at = time.monotonic()
        await asyncio.wait_for(ended._task, 10)  # the reader stops on a final close code
        closed_after = time.monotonic() - changed_at
        writer = Writer([worker_a.ws_url], topic.pk, writer_cookie, ORIGIN)
        made = await writer.post("Po zmianie hasła")
        await writer.close()
        deadline = time.monotonic() + 10
        while made not in kept.posts and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await kept.stop()
        return status, closed_after, kept, ended, made

    status, closed_after, kept, ended, made = asyncio.run(scenario())
    assert status == 302
    assert ended.closed_codes == [4001]
    assert closed_after < 2, f"the other session's socket closed only after {closed_after:.1f} s"
    assert made not in ended.posts
    assert made in kept.posts
    assert kept.connects == 1  # the changing session's socket stayed open all along
