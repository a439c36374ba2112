"""The client's address behind trusted proxies (``TRIGLOT_TRUSTED_PROXIES``), and only behind them.

A forwarded header (``X-Forwarded-For``, ``X-Real-IP``, ``Forwarded``) is any
client's to write, so it is read only when the connection comes from a listed
proxy; from anyone else it is ignored and the connection's own address stands.
The rate limit counts per that address, so a client cannot leave its bucket by
sending a made-up header. uvicorn's own proxy handling is off (``uvicorn_options``
in ``service.serving``): it trusts 127.0.0.1 by default and reads only
``X-Forwarded-For``; this is the one place that decides.

Of the headers, the first present is read, in this order: ``X-Forwarded-For`` (what
nginx, HAProxy, Apache, Caddy, Traefik and Envoy append to), ``X-Real-IP``, then
``Forwarded`` (RFC 7239). Along a chain of addresses the client is the nearest one
that is not a trusted proxy, read from the right: the left part is the client's to
make up, the right part was written by proxies we trust.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_SCHEMES = frozenset({"http", "https"})


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses and CIDR networks (``10.0.0.2``, ``10.0.0.0/8``, ``fd00::/8``); ValueError names a bad one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=True))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or a CIDR network such as 10.0.0.0/8") from None
    return tuple(networks)


class TrustedProxies:
    """Which peers may tell us who their client is."""

    def __init__(self, networks: Sequence[Network]) -> None:
        self.networks = tuple(networks)

    def trusts(self, address: Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # a dual-stack socket shows IPv4 peers as ::ffff:a.b.c.d
        return any(address in network for network in self.networks)

    def client(self, peer: str, headers: Sequence[tuple[bytes, bytes]]) -> str:
        """The address of the client behind ``peer``: ``peer`` itself unless it is a trusted proxy."""
        hop = _address(peer)
        if hop is None or not self.networks or not self.trusts(hop):
            return peer
        for candidate in reversed(_forwarded_chain(headers)):
            address = _address(candidate)
            if address is None:
                break  # a hop we cannot read: stop at the last one we can vouch for
            hop = address
            if not self.trusts(hop):
                break
        return str(hop)

    def scheme(self, peer: str, headers: Sequence[tuple[bytes, bytes]], scheme: str) -> str:
        """``X-Forwarded-Proto`` from a trusted proxy (TLS ended there), else the connection's own scheme."""
        hop = _address(peer)
        if hop is None or not self.trusts(hop):
            return scheme
        forwarded = _header(headers, b"x-forwarded-proto").split(",")[-1].strip().lower()
        return forwarded if forwarded in _SCHEMES else scheme


class ForwardedClient:
    """ASGI middleware: the scope's client (and scheme) as the trusted proxies tell them."""

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and client and self.proxies.networks:
            peer, headers = client[0], scope["headers"]
            host = self.proxies.client(peer, headers)
            scope = dict(scope, scheme=self.proxies.scheme(peer, headers, scope["scheme"]))
            if host != peer:
                scope["client"] = (host, 0)  # a proxy does not say which port its client used
        await self.app(scope, receive, send)


def _forwarded_chain(headers: Sequence[tuple[bytes, bytes]]) -> list[str]:
    """The addresses the first forwarded header present lists, the client's first."""
    forwarded_for = _header(headers, b"x-forwarded-for")
    if forwarded_for:
        return [_strip_port(part.strip()) for part in forwarded_for.split(",")]
    real_ip = _header(headers, b"x-real-ip")
    if real_ip:
        return [_strip_port(real_ip.strip())]
    forwarded = _header(headers, b"forwarded")
    chain = []
    for element in forwarded.split(","):
        for pair in element.split(";"):
            name, _, value = pair.partition("=")
            if name.strip().lower() == "for":
                chain.append(_strip_port(value.strip().strip('"')))
    return chain


def _header(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str:
    """Every line of a header joined as one list, as RFC 9110 reads repeated fields."""
    values = [value.decode("latin-1") for key, value in headers if key == name]
    return ",".join(values)


def _strip_port(node: str) -> str:
    """A node without its port: ``[2001:db8::1]:4711`` → ``2001:db8::1``, ``1.2.3.4:80`` → ``1.2.3.4``."""
    if node.startswith("["):
        return node[1:].partition("]")[0]
    if node.count(":") == 1:
        return node.partition(":")[0]
    return node


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
