"""The address a request comes from, as the login throttle (django-axes) counts it.

Configured as AXES_CLIENT_IP_CALLABLE. One setting, TRUSTED_PROXY_COUNT, says how many proxies stand in
front of the application, each appending the address it received the request from to X-Forwarded-For
(nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`):

- 0 (the default, `make run`): the socket's address (REMOTE_ADDR) is the client; X-Forwarded-For is
  written by the client and never read.
- N > 0: the last N entries were written by our proxies, so the client is the N-th entry from the
  right. Everything to the left of it came from the client and is never trusted: a client that writes
  its own header only adds entries on the left.

When that entry is not an address (a proxy that writes "unknown"), the nearest address to its left is
used; when the header holds fewer than N entries (a proxy that did not append, or a count set higher
than the real number of proxies) or none of those is an address, the left-most address in the header;
only with no address in the header at all, REMOTE_ADDR. It is never the empty string, and not the
proxy's own address while a forwarded one exists, because one address shared by every client would let
five wrong passwords lock an account for everyone. With a correct count none of this happens (every
proxy appends a real address). With a wrong one a client could choose its address anyway (it can write
the N-th entry from the right itself), so these fallbacks open nothing the misconfiguration had not.

IPv6 clients are counted by their /64 network: one subscriber usually holds a whole /64 and could
otherwise step to a fresh address for each guess. IPv4-mapped IPv6 addresses count as the IPv4 address.
"""

import ipaddress

from exchange_groups.conf import exchange_groups_settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
IPV6_PREFIX = 64
# What is counted when a request carries no address at all (no socket address, no usable header).
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a value to count against, never an address to bind to


def trusted_proxy_count() -> int:
    return exchange_groups_settings.TRUSTED_PROXY_COUNT


def parse_address(value: str | None) -> str | None:
    """One address from a header entry or REMOTE_ADDR, normalised; None if it is not an IP address.

    Accepts `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]` and `[2001:db8::1]:443`.
    """
    text = (value or "").strip()
    if not text:
        return None
    if text.startswith("["):
        end = text.find("]")
        if end == -1:
            return None
        text = text[1:end]
    elif text.count(":") == 1:  # IPv4 with a port (an IPv6 address has at least two colons)
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False)
        return str(network.network_address)
    return str(address)


def forwarded_entries(request) -> list[str | None]:
    """The X-Forwarded-For entries, left to right, each parsed (None where an entry is not an address)."""
    header = request.META.get(FORWARDED_FOR, "") or ""
    return [parse_address(entry) for entry in header.split(",")] if header.strip() else []


def client_ip_address(request) -> str:
    """The client's address for counting failed logins (see the module's notes)."""
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    count = trusted_proxy_count()
    if count == 0:
        return remote or UNKNOWN_ADDRESS
    entries = forwarded_entries(request)
    position = len(entries) - count  # the entry our outermost proxy appended; negative if it is missing
    if position >= 0:
        # That entry, or, if a proxy wrote something that is not an address there, the nearest one left of it.
        for entry in reversed(entries[: position + 1]):
            if entry is not None:
                return entry
    for entry in entries:
        if entry is not None:
            return entry
    return remote or UNKNOWN_ADDRESS
