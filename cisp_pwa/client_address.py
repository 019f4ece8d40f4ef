"""Who is on the other end: the client address every limiter and the public badge pages count by.

Behind a TLS proxy every connection comes from the proxy. The proxy tells who its client was in
`X-Forwarded-For` or `Forwarded` (RFC 7239), but anyone can send those headers too, so they are
read ONLY when the TCP peer is one of CISP_TRUSTED_PROXIES (addresses or networks, IPv4 or IPv6,
comma-separated; none by default). Then the list is walked from the right (each proxy appends the
address it saw), addresses of trusted proxies are skipped, and the first other one is the client.
From any other peer the headers are ignored entirely.

Nothing a header holds raises: an entry that is not an address (`unknown`, an obfuscated name,
garbage), too many hops, or two headers that disagree (one of them was written by the client)
stop the walk at the last address that can be trusted, i.e. the last proxy that spoke.

The setting is read from the environment at each call and parsed once per value (tests set it);
`problems()` says what in it is refused, one plain line each, for `cli check`.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import Any, Mapping

from cisp_pwa import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Past this many trusted hops in a header, stop walking: no real chain of proxies is this long.
MAX_HOPS = 16
# An entry longer than this is no address (the longest, a bracketed IPv6 with zone and port, is
# well under it).
_MAX_ENTRY = 100
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
# RFC 7239 lexemes: a token, a quoted string, a comma between elements, a quote left open.
_LEXEME = re.compile(r'"(?:[^"\\]|\\.)*"|[^",]+|,|"', re.DOTALL)
_PAIR = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)=("(?:[^"\\]|\\.)*"|[^;,"\s]*)\s*(?:;|$)', re.DOTALL)
_PORT = re.compile(r"[0-9]{1,5}|_[A-Za-z0-9._-]+")


def _unmapped(address: Address) -> Address:
    """An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is the IPv4 client."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _network(entry: str) -> tuple[Network | None, str | None]:
    """One entry of the setting: the network, or why it is refused (and whether to keep it)."""
    problem = None
    try:
        network = ipaddress.ip_network(entry)
    except ValueError:
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return None, (f"CISP_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                          "(e.g. 10.0.0.5, 10.0.0.0/24, 2001:db8::/64); it is ignored")
        problem = (f"CISP_TRUSTED_PROXIES: {entry!r} has host bits set; it is read as {network} "
                   "(write that, or the proxy's own address)")
    if isinstance(network, ipaddress.IPv6Network) and network.subnet_of(_MAPPED) and network.prefixlen >= 96:
        network = ipaddress.IPv4Network((int(network.network_address) & 0xFFFFFFFF, network.prefixlen - 96))
    if network.prefixlen == 0:
        return None, (f"CISP_TRUSTED_PROXIES: {entry!r} would trust every address, and let anyone "
                      "choose the address they are counted by; it is ignored (name the proxies)")
    return network, problem


@lru_cache(maxsize=8)
def _parsed(raw: str) -> tuple[tuple[Network, ...], tuple[str, ...]]:
    networks: list[Network] = []
    problems: list[str] = []
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        network, problem = _network(entry)
        if network is not None:
            networks.append(network)
        if problem is not None:
            problems.append(problem)
    return tuple(networks), tuple(problems)


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of CISP_TRUSTED_PROXIES that are used (refused entries left out)."""
    return _parsed(settings.trusted_proxies())[0]


def problems() -> list[str]:
    """One plain line per entry of CISP_TRUSTED_PROXIES that is refused or read otherwise than
    written: not an address or network, a catch-all (0.0.0.0/0, ::/0), host bits set. Empty
    when the setting is fine (or unset)."""
    return list(_parsed(settings.trusted_proxies())[1])


def _address(text: str) -> Address | None:
    """An address written as a proxy writes it: 192.0.2.1, 192.0.2.1:4711, 2001:db8::1,
    [2001:db8::1], [2001:db8::1]:4711; None for anything else (unknown, _hidden, garbage)."""
    text = text.strip()
    if not text or len(text) > _MAX_ENTRY:
        return None
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and _PORT.fullmatch(rest[1:]))):
            return None
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
        if not _PORT.fullmatch(port):
            return None
    else:
        host = text
    try:
        return _unmapped(ipaddress.ip_address(host))
    except ValueError:
        return None


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def is_trusted(address: str) -> bool:
    """Whether this address (as a peer is given) is one of the trusted proxies."""
    parsed = _address(address)
    return parsed is not None and _trusted(parsed, trusted_proxies())


def _forwarded_for(header: str) -> list[Address | None]:
    """The `for=` of each element of a Forwarded header, rightmost first; None for an element
    that is malformed, names no address, or has none. A quote left open swallows the rest."""
    elements: list[str | None] = [""]
    for lexeme in _LEXEME.findall(header):
        if lexeme == ",":
            elements.append("")
        elif lexeme == '"':  # never closed: nothing from here on can be read
            elements[-1] = None
            break
        elif elements[-1] is not None:
            elements[-1] += lexeme
    found: list[Address | None] = []
    for element in reversed(elements):
        if len(found) > MAX_HOPS:
            break
        found.append(_element_for(element))
    return found


def _element_for(element: str | None) -> Address | None:
    if element is None or not element.strip():
        return None
    position, node = 0, None
    element = element.strip()
    while position < len(element):
        pair = _PAIR.match(element, position)
        if pair is None or pair.end() == position:
            return None
        name, value = pair.group(1).lower(), pair.group(2)
        if name == "for":
            if node is not None:
                return None  # two `for` in one element: no telling which is true
            node = re.sub(r"\\(.)", r"\1", value[1:-1]) if value.startswith('"') else value
        position = pair.end()
    return _address(node) if node is not None else None


def _x_forwarded_for(header: str) -> list[Address | None]:
    """The entries of X-Forwarded-For, rightmost first (only the last hops are read)."""
    return [_address(entry) for entry in reversed(header.rsplit(",", MAX_HOPS + 1))]


def _walk(peer: Address, entries: list[Address | None], networks: tuple[Network, ...]) -> Address:
    last = peer
    for hops, entry in enumerate(entries):
        if entry is None or hops >= MAX_HOPS:
            return last
        if not _trusted(entry, networks):
            return entry
        last = entry
    return last


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        for key, found in headers.items():
            if isinstance(key, str) and key.lower() == name:
                value = found
                break
    return value.strip() if isinstance(value, str) else ""


def from_peer_and_headers(peer: str, headers: Mapping[str, str]) -> str:
    """The client's address: the peer itself, unless the peer is a trusted proxy and a
    forwarding header names someone else (see the module's text). Never raises on what the
    headers hold. An IP is given in its usual form (IPv4 clients seen as ::ffff:… as IPv4);
    a peer that is no IP (a unix socket, a test client) comes back as it was given."""
    peer = peer or ""
    parsed = _address(peer)
    if parsed is None:
        return peer
    networks = trusted_proxies()
    if not _trusted(parsed, networks):
        return str(parsed)
    found = set()
    if forwarded := _header(headers, "forwarded"):
        found.add(_walk(parsed, _forwarded_for(forwarded), networks))
    if x_forwarded_for := _header(headers, "x-forwarded-for"):
        found.add(_walk(parsed, _x_forwarded_for(x_forwarded_for), networks))
    # Both headers and they disagree: the proxy wrote one, the client the other, and nothing says
    # which. Count by the proxy rather than by an address the client may have chosen.
    return str(found.pop() if len(found) == 1 else parsed)


def for_request(request: Any) -> str:
    """The client of a Starlette request (an HTTP route mounted on the backend); "" without a
    peer. A header sent several times counts as one list, in order."""
    peer = request.client.host if request.client else ""
    headers = {name: ", ".join(request.headers.getlist(name)) for name in ("forwarded", "x-forwarded-for")}
    return from_peer_and_headers(peer, headers)


def for_router(router: Any) -> str:
    """The client of a Reflex state's connection (`self.router`): Reflex gives the socket's TCP
    peer as `session.client_ip` (its own `trusted_proxy_hops` left at 0) and the upgrade
    request's headers in `headers.raw_headers`; "" when Reflex knows no peer."""
    return from_peer_and_headers(router.session.client_ip, router.headers.raw_headers)
