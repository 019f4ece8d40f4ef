"""The client address behind a proxy (cisp_pwa/client_address.py): forwarding headers count only
when the TCP peer is one of CISP_TRUSTED_PROXIES, walked from the right; garbage never raises."""

from __future__ import annotations

import pytest

from cisp_pwa import client_address
from cisp_pwa.client_address import from_peer_and_headers

PROXY = "10.0.0.5"


@pytest.fixture
def trusted(monkeypatch):
    def set_to(value: str) -> None:
        monkeypatch.setenv("CISP_TRUSTED_PROXIES", value)
    set_to(PROXY)
    return set_to


def test_nobody_is_trusted_by_default_and_the_headers_are_ignored(monkeypatch):
    monkeypatch.delenv("CISP_TRUSTED_PROXIES", raising=False)
    assert client_address.trusted_proxies() == () and client_address.problems() == []
    assert from_peer_and_headers(PROXY, {"x-forwarded-for": "198.51.100.7"}) == PROXY


def test_a_trusted_proxy_names_its_client(trusted):
    assert from_peer_and_headers(PROXY, {"x-forwarded-for": "198.51.100.7"}) == "198.51.100.7"
    # nginx's $proxy_add_x_forwarded_for: what the client sent, then the address it saw.
    assert from_peer_and_headers(PROXY, {"X-Forwarded-For": "1.1.1.1, 198.51.100.7"}) == "198.51.100.7"
    assert from_peer_and_headers(PROXY, {}) == PROXY  # no header: the proxy itself


def test_a_forged_header_from_anyone_else_is_ignored(trusted):
    for peer in ("198.51.100.7", "10.0.0.6", "::1"):
        assert from_peer_and_headers(peer, {"x-forwarded-for": "1.2.3.4",
                                            "forwarded": "for=1.2.3.4"}) == peer


def test_a_chain_of_proxies_is_walked_from_the_right_to_the_first_untrusted(trusted):
    trusted(f"{PROXY}, 172.16.0.0/12")
    chain = "6.6.6.6, 198.51.100.7, 172.16.3.4, 172.20.0.1"
    assert from_peer_and_headers(PROXY, {"x-forwarded-for": chain}) == "198.51.100.7"
    # The same chain from the inner proxy: still the same client.
    assert from_peer_and_headers("172.16.9.9", {"x-forwarded-for": chain}) == "198.51.100.7"
    # Only trusted proxies in the list: the leftmost of them is as far as anyone can tell.
    assert from_peer_and_headers(PROXY, {"x-forwarded-for": "172.16.0.1, 172.16.0.2"}) == "172.16.0.1"


def test_ipv6_proxies_and_clients(trusted):
    trusted("2001:db8:ffff::/48, 10.0.0.0/24")
    proxy6 = "2001:db8:ffff::10"
    assert from_peer_and_headers(proxy6, {"x-forwarded-for": "2001:DB8:0:0::1"}) == "2001:db8::1"
    assert from_peer_and_headers(proxy6, {"x-forwarded-for": "[2001:db8::1]:4711"}) == "2001:db8::1"
    assert from_peer_and_headers(proxy6, {"x-forwarded-for": "192.0.2.1:4711"}) == "192.0.2.1"
    # An IPv4 proxy seen through a dual-stack socket is the IPv4 proxy; so is its client.
    assert from_peer_and_headers("::ffff:10.0.0.7", {"x-forwarded-for": "::ffff:192.0.2.9"}) == "192.0.2.9"
    assert from_peer_and_headers("2001:db8:fffe::1", {"x-forwarded-for": "192.0.2.1"}) == "2001:db8:fffe::1"


def test_the_forwarded_header_of_rfc_7239(trusted):
    trusted(f"{PROXY}, 2001:db8:ffff::/48")
    forwarded = 'for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"'
    assert from_peer_and_headers(PROXY, {"forwarded": forwarded}) == "2001:db8:cafe::17"
    assert from_peer_and_headers(PROXY, {"forwarded": 'for="192.0.2.43:47011"'}) == "192.0.2.43"
    chain = 'for=192.0.2.43, for="[2001:db8:ffff::1]";proto=https'
    assert from_peer_and_headers(PROXY, {"forwarded": chain}) == "192.0.2.43"
    # Both headers saying the same: that client.
    both = {"forwarded": "for=192.0.2.43", "x-forwarded-for": "192.0.2.43"}
    assert from_peer_and_headers(PROXY, both) == "192.0.2.43"


def test_two_headers_that_disagree_count_as_the_proxy(trusted):
    """nginx appends to X-Forwarded-For and passes a client's own Forwarded on untouched (or the
    other way round with another proxy): nothing says which is true, so neither is believed."""
    headers = {"forwarded": "for=1.2.3.4", "x-forwarded-for": "198.51.100.7"}
    assert from_peer_and_headers(PROXY, headers) == PROXY


@pytest.mark.parametrize("header, value", [
    ("x-forwarded-for", "unknown"),
    ("x-forwarded-for", "not an address"),
    ("x-forwarded-for", "1.2.3.4, , "),
    ("x-forwarded-for", "999.1.1.1"),
    ("x-forwarded-for", "1.2.3.4:http"),
    ("x-forwarded-for", "[2001:db8::1"),
    ("x-forwarded-for", "x" * 100_000),
    ("x-forwarded-for", "\x00\xff\u202e"),
    ("forwarded", "for=unknown"),
    ("forwarded", "for=_hidden"),
    ("forwarded", "proto=https"),  # no `for`
    ("forwarded", "for=1.2.3.4;for=5.6.7.8"),
    ("forwarded", "for=1.2.3.4;x=\""),  # a quote left open swallows what follows
    ("forwarded", 'for="1.2.3.4"junk'),
    ("forwarded", ";;;,,,==\"\\"),
    ("forwarded", "for=" + "[" * 50_000),
])
def test_garbage_never_raises_and_counts_as_the_last_trustworthy_address(trusted, header, value):
    assert from_peer_and_headers(PROXY, {header: value}) == PROXY


def test_garbage_left_of_the_proxys_own_entry_does_not_matter(trusted):
    assert from_peer_and_headers(PROXY, {"x-forwarded-for": "unknown, <script>, 198.51.100.7"}) == "198.51.100.7"
    assert from_peer_and_headers(PROXY, {"forwarded": 'garbage!!, for="x, for=198.51.100.7'}) == PROXY
    assert from_peer_and_headers(PROXY, {"forwarded": "garbage!!, for=198.51.100.7"}) == "198.51.100.7"


def test_ten_thousand_entries(trusted):
    trusted("10.0.0.0/8")
    many_trusted = ", ".join(f"10.0.{i // 250}.{i % 250}" for i in range(10_000))
    # The walk stops after a few trusted hops: the last one it trusted.
    assert client_address.is_trusted(from_peer_and_headers(PROXY, {"x-forwarded-for": many_trusted}))
    forwarded = ", ".join(['for="[2001:db8::1]:4711"'] * 10_000)
    assert from_peer_and_headers(PROXY, {"forwarded": forwarded}) == "2001:db8::1"
    assert from_peer_and_headers(PROXY, {"x-forwarded-for": "1.1.1.1, " * 10_000 + "192.0.2.1"}) == "192.0.2.1"


def test_cidr_membership(trusted):
    trusted("10.0.0.0/24")
    assert client_address.is_trusted("10.0.0.255") and not client_address.is_trusted("10.0.1.0")
    assert from_peer_and_headers("10.0.0.200", {"x-forwarded-for": "192.0.2.1"}) == "192.0.2.1"
    assert from_peer_and_headers("10.0.1.1", {"x-forwarded-for": "192.0.2.1"}) == "10.0.1.1"


def test_a_peer_that_is_no_ip_is_kept_as_given(trusted):
    assert from_peer_and_headers("testclient", {"x-forwarded-for": "192.0.2.1"}) == "testclient"
    assert from_peer_and_headers("", {"x-forwarded-for": "192.0.2.1"}) == ""


def test_the_setting_says_what_it_refuses(trusted):
    trusted(" 10.0.0.5 ,, proxy.example, 0.0.0.0/0, ::/0, 10.0.0.9/24, 10.0.0.5:443, ::ffff:0:0/96 ")
    found = client_address.problems()
    assert len(found) == 6 and all(line.startswith("CISP_TRUSTED_PROXIES: ") and "\n" not in line for line in found)
    assert any("'proxy.example' is not an IP address" in line for line in found)
    assert any("'10.0.0.5:443' is not an IP address" in line for line in found)
    assert sum("would trust every address" in line for line in found) == 3
    assert any("'10.0.0.9/24' has host bits set; it is read as 10.0.0.0/24" in line for line in found)
    # What is refused is not used; what is fine is.
    assert [str(n) for n in client_address.trusted_proxies()] == ["10.0.0.5/32", "10.0.0.0/24"]
    assert from_peer_and_headers("198.51.100.7", {"x-forwarded-for": "1.2.3.4"}) == "198.51.100.7"
    trusted("10.0.0.5, 2001:db8::/64")
    assert client_address.problems() == []


def test_the_socket_of_reflex_gives_the_peer_and_the_headers(trusted):
    """What Reflex 0.10.1 builds for a socket (EventNamespace._build_static_router_data), read
    as a state reads it (self.router): the rule sees the TCP peer and the proxy's header."""
    from reflex.app import EventNamespace
    from reflex.config import get_config
    from reflex.istate.data import RouterData

    assert get_config().trusted_proxy_hops == 0  # else Reflex trusts X-Forwarded-For from anyone

    def router(peer: str, forwarded_for: str) -> RouterData:
        scope = {"client": (peer, 51000), "headers": [(b"host", b"cisp.example"),
                                                      (b"x-forwarded-for", forwarded_for.encode())]}
        data = EventNamespace._build_static_router_data(None, "sid", {"asgi.scope": scope})
        return RouterData.from_router_data(data)

    assert client_address.for_router(router(PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_address.for_router(router("198.51.100.9", "1.2.3.4")) == "198.51.100.9"
    assert client_address.for_router(RouterData()) == ""  # no peer known: the states use the token


def test_the_sign_in_enrolment_and_security_screens_count_by_this_rule(trusted):
    """What the sign-in limits (per client, per login and client) and the second factor's are
    keyed by on a real screen state: the forwarded client, the peer, else the screen's token."""
    from reflex.app import EventNamespace
    from reflex.istate.data import RouterData

    from cisp_pwa import cisp_pwa  # noqa: F401 - the states as the server builds them
    from cisp_pwa.state.enrol import EnrolState
    from cisp_pwa.state.security import SecurityState
    from cisp_pwa.state.sign_in import SignInState

    def data(peer: str, forwarded_for: str) -> dict:
        scope = {"client": (peer, 51000), "headers": [(b"x-forwarded-for", forwarded_for.encode())]}
        return {**EventNamespace._build_static_router_data(None, "sid", {"asgi.scope": scope}),
                "token": "the-screens-token"}

    for screen in (SignInState, EnrolState, SecurityState):
        state = screen(_reflex_internal_init=True)
        state.router = RouterData.from_router_data(data(PROXY, "1.2.3.4, 198.51.100.7"))
        assert state._client() == "198.51.100.7"
        state.router = RouterData.from_router_data(data("198.51.100.9", "1.2.3.4"))
        assert state._client() == "198.51.100.9"
        state.router = RouterData.from_router_data({"token": "the-screens-token"})
        assert state._client() == "the-screens-token"
