"""Which address a request comes from, when reverse proxies may sit in front of the console.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the direct peer is a
configured trusted proxy (setting `trusted_proxies`: addresses and CIDR networks, comma-separated; empty =
never). Then the header is read from the right, skipping trusted proxies: the first address that is not one
is the client (everything left of it may be forged by that client).

    proxies = TrustedProxies.parse("10.0.0.0/8, 192.0.2.1")
    proxies.client_address("10.0.0.3", ["1.1.1.1, 198.51.100.9"])   # -> "198.51.100.9"
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["TrustedProxies", "parse_address"]

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(value: str) -> Address | None:
    """An IP address from a forwarded-for entry (`1.2.3.4`, `1.2.3.4:567`, `2001:db8::1`, `[2001:db8::1]:443`)."""
    text = value.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, spec: str | Sequence[str] | None) -> TrustedProxies:
        """From the `trusted_proxies` setting. Raises ValueError naming an entry that is not an address or network."""
        items = spec.split(",") if isinstance(spec, str) else list(spec or ())
        networks = []
        for item in (i.strip() for i in items):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"trusted_proxies: {item!r} is not an IP address or network (e.g. 10.0.0.0/8)") from None
        return cls(tuple(networks))

    def trusts(self, address: Address | None) -> bool:
        return address is not None and any(address in net for net in self.networks)

    def client_address(self, peer: str | None, forwarded_for: Sequence[str]) -> str | None:
        """The client's address: the peer itself, unless it is a trusted proxy and sent `X-Forwarded-For`."""
        peer_address = parse_address(peer) if peer else None
        if not self.networks or not self.trusts(peer_address):
            return peer
        hops = [h for value in forwarded_for for h in value.split(",") if h.strip()]
        client = peer
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:  # a proxy passed garbage on: stop at the last hop we could believe
                log.warning("ignoring X-Forwarded-For entry %r (not an IP address)", hop.strip()[:64])
                return client
            client = str(address)
            if not self.trusts(address):
                return client
        return client
