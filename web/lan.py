"""Serving the home network: the laptop's address, and what Django must trust for it.

`manage.py runthru --lan` listens on every interface so a phone on the same Wi-Fi can
rehearse; these helpers find the address to show the family (as text and a QR code).
"""

from __future__ import annotations

import io
import ipaddress
import socket

import psutil
import segno

from runthru_site.env import env_str

# Home routers hand out addresses from these ranges (RFC 1918).
HOME_RANGES = [ipaddress.ip_network(n) for n in ("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12")]


def home_address() -> str | None:
    """The address a phone on the same network reaches this computer at.

    RUNTHRU_LAN_ADDRESS wins (for a computer with several network cards); else the first
    home-range IPv4 address of an interface that is up; else any other private one."""
    forced = env_str("RUNTHRU_LAN_ADDRESS")
    if forced:
        return str(ipaddress.ip_address(forced))
    up = {name for name, stats in psutil.net_if_stats().items() if stats.isup}
    home, other = [], []
    for name, addresses in psutil.net_if_addrs().items():
        if name not in up:
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(address.address)
            if ip.is_loopback or ip.is_link_local:
                continue
            if any(ip in net for net in HOME_RANGES):
                home.append(str(ip))
            elif ip.is_private:
                other.append(str(ip))
    return (home or other or [None])[0]


def tls_port(port: int) -> int:
    """The HTTPS port beside the plain one (8000 -> 8443): phones need HTTPS for the microphone."""
    return port + 443


def lan_environment(address: str, port: int) -> dict[str, str]:
    """Settings for the web processes: accept requests addressed to the laptop by IP."""
    hosts = ["localhost", "127.0.0.1", "[::1]", address]
    origins = [f"http://{address}:{port}", f"https://{address}:{tls_port(port)}", f"http://localhost:{port}",
               f"http://127.0.0.1:{port}", f"https://localhost:{tls_port(port)}"]
    return {
        "DJANGO_ALLOWED_HOSTS": ",".join(hosts),
        "DJANGO_CSRF_TRUSTED_ORIGINS": ",".join(origins),
        # The address a rehearsal room's join link and QR code give the castmates' phones.
        "RUNTHRU_LAN_URL": f"https://{address}:{tls_port(port)}",
    }


def qr_code(url: str) -> str:
    """The address as a QR code drawn with text characters, for a phone's camera."""
    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True)
    return out.getvalue()
