"""The client address the login throttle counts against (AXES_CLIENT_IP_CALLABLE).

Without a proxy the socket's address is the client and X-Forwarded-For is ignored. Behind
TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For (nginx:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`), the client is the N-th entry from the
right: whatever the client wrote itself stands to the left of it and is never read.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from exchange_groups.accounts.client_ip import client_ip_address
from tests.factories import DEFAULT_PASSWORD, UserFactory

PROXY = "10.0.0.2"  # nginx, as the application server sees it (REMOTE_ADDR)
INNER_PROXY = "10.0.0.3"  # a second proxy behind the first one
CLIENT = "203.0.113.7"
CLIENT_B = "198.51.100.9"


def request_from(remote_addr=PROXY, forwarded_for=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


# --- the resolver -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        (None, PROXY),  # nothing forwarded: the socket's address
        (CLIENT, PROXY),
        ("1.2.3.4, 5.6.7.8", PROXY),
    ],
    ids=["no-header", "one-entry", "two-entries"],
)
def test_client_ip_without_proxy_is_the_socket_address(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip_address(request_from(forwarded_for=forwarded_for)) == expected


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        (CLIENT, CLIENT),  # the client sent nothing; nginx wrote its address
        (f"1.2.3.4, {CLIENT}", CLIENT),  # the client forged one entry; nginx appended the real one
        (f"1.2.3.4,{CLIENT}", CLIENT),  # no space after the comma
        (f"  1.2.3.4 ,   {CLIENT}  ", CLIENT),  # extra spaces
        (f"garbage, <script>, , {CLIENT}", CLIENT),  # rubbish to the left is never read
        (f"9.9.9.9, 8.8.8.8, 7.7.7.7, {CLIENT}", CLIENT),
        ("2001:db8:0:1:2:3:4:5", "2001:db8:0:1::"),  # IPv6: the client's /64 network
        ("1.2.3.4, 2001:DB8:0:1::7", "2001:db8:0:1::"),  # upper case and compressed forms are one network
        ("::ffff:203.0.113.7", CLIENT),  # an IPv4 address written as IPv4-mapped IPv6
        ("[2001:db8:0:1::7]:4431", "2001:db8:0:1::"),  # bracketed, with a port
        (f"{CLIENT}:51234", CLIENT),  # IPv4 with a port
    ],
    ids=[
        "nothing-forged",
        "forged-left",
        "no-space",
        "extra-spaces",
        "garbage-left",
        "many-forged",
        "ipv6",
        "ipv6-forms",
        "ipv4-mapped",
        "ipv6-port",
        "ipv4-port",
    ],
)
def test_client_ip_behind_one_proxy_is_the_entry_it_appended(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip_address(request_from(forwarded_for=forwarded_for)) == expected


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        (f"{CLIENT}, {PROXY}", CLIENT),  # the client sent nothing
        (f"1.2.3.4, {CLIENT}, {PROXY}", CLIENT),  # forged, client, proxy1
        (f"1.2.3.4,{CLIENT},{PROXY}", CLIENT),
        (f"not-an-ip, 1.2.3.4, {CLIENT}, {PROXY}", CLIENT),
    ],
    ids=["nothing-forged", "forged-left", "no-spaces", "garbage-left"],
)
def test_client_ip_behind_two_proxies_is_the_second_entry_from_the_right(settings, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip_address(request_from(remote_addr=INNER_PROXY, forwarded_for=forwarded_for)) == expected


@pytest.mark.parametrize(
    ("count", "remote_addr", "forwarded_for", "expected"),
    [
        # Fewer entries than proxies: the left-most valid entry (the farthest hop recorded) — never
        # the proxy's own address, which every client would share.
        (2, INNER_PROXY, CLIENT, CLIENT),
        (3, INNER_PROXY, f"{CLIENT}, {PROXY}", CLIENT),
        (2, INNER_PROXY, f"rubbish, {CLIENT}", CLIENT),
        # No usable entry at all: the socket's address.
        (1, "192.0.2.50", None, "192.0.2.50"),
        (1, "192.0.2.51", "", "192.0.2.51"),
        (1, "192.0.2.52", "unknown", "192.0.2.52"),
        (1, "192.0.2.53", " , ,", "192.0.2.53"),
        # The trusted entry itself is not an address (a proxy that writes "unknown"): the nearest valid
        # entry to its left.
        (1, PROXY, f"{CLIENT}, unknown", CLIENT),
    ],
    ids=[
        "one-of-two",
        "two-of-three",
        "garbage-and-one-of-two",
        "no-header",
        "empty-header",
        "only-garbage",
        "only-commas",
        "trusted-entry-garbage",
    ],
)
def test_client_ip_with_too_few_usable_entries_falls_back_per_client(
    settings, count, remote_addr, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip_address(request_from(remote_addr=remote_addr, forwarded_for=forwarded_for)) == expected


def test_client_ip_without_any_address_is_a_fixed_placeholder(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert client_ip_address(request) == "0.0.0.0"  # noqa: S104 - a value to count against, not to bind to


def test_client_ip_ipv6_socket_address_is_its_64_network(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip_address(request_from(remote_addr="2001:db8:aa:bb:1:2:3:4")) == "2001:db8:aa:bb::"


# --- the throttle through the login page ------------------------------------------------------------


@pytest.fixture
def clean_cache(settings):
    from django.core.cache import cache

    settings.LANGUAGE_CODE = "en"
    cache.clear()


def log_in(client, email, password, *, remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("exchange_groups:login"), {"username": email, "password": password}, **extra)


@pytest.fixture
def behind_one_proxy(settings, clean_cache):
    """The production shape: one nginx in front, appending to X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.django_db
def test_login_throttle_behind_proxy_locks_one_client_not_everyone(client, behind_one_proxy, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "Zle-Haslo-123456", remote_addr=PROXY, forwarded_for=CLIENT)
    assert log_in(client, user.email, DEFAULT_PASSWORD, remote_addr=PROXY, forwarded_for=CLIENT).status_code == 429
    client.cookies.clear()

    response = log_in(client, user.email, DEFAULT_PASSWORD, remote_addr=PROXY, forwarded_for=CLIENT_B)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_login_throttle_behind_proxy_counts_a_client_that_rotates_a_forged_header(client, behind_one_proxy, settings):
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = f"1.2.3.{n}, {CLIENT}"  # what nginx sends on when the client writes "1.2.3.n" itself
        log_in(client, user.email, "Zle-Haslo-123456", remote_addr=PROXY, forwarded_for=forged)

    response = log_in(client, user.email, DEFAULT_PASSWORD, remote_addr=PROXY, forwarded_for=f"9.9.9.9, {CLIENT}")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_throttle_without_proxy_ignores_a_rotating_forwarded_header(client, clean_cache, settings):
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "Zle-Haslo-123456", remote_addr=CLIENT, forwarded_for=f"1.2.3.{n}")

    response = log_in(client, user.email, DEFAULT_PASSWORD, remote_addr=CLIENT, forwarded_for="9.9.9.9")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_throttle_behind_proxy_counts_ipv6_addresses_of_one_network_together(client, behind_one_proxy, settings):
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "Zle-Haslo-123456", remote_addr=PROXY, forwarded_for=f"2001:db8:0:1::{n + 1:x}")

    response = log_in(client, user.email, DEFAULT_PASSWORD, remote_addr=PROXY, forwarded_for="2001:db8:0:1::ff")

    assert response.status_code == 429
