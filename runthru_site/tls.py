"""HTTPS for the home network: browsers open the microphone only on localhost or https://,
so a phone reaching the family computer needs TLS.

On first use RunThru makes its own certificate (with `cryptography`) for this computer's
names and addresses and keeps it in the data folder; each browser shows a one-time warning
because no authority signed it. daphne serves it through a Twisted TLS endpoint string.
Nothing here starts a server: whatever serves the home network (`runthru --lan`) calls
`certificate_files` and passes `daphne_endpoint(...)` to daphne's `-e`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# Browsers refuse certificates valid for more than 825 days; renew a month before the end.
VALID_DAYS = 825
RENEW_BEFORE = dt.timedelta(days=30)


def _names(extra_addresses: list[str]) -> list[x509.GeneralName]:
    host = socket.gethostname()
    dns = {"localhost", host, f"{host}.local"}
    ips = {"127.0.0.1", "::1", *extra_addresses}
    return [x509.DNSName(n) for n in sorted(dns)] + [x509.IPAddress(ipaddress.ip_address(a)) for a in sorted(ips)]


def _write_private(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _still_good(cert_path: Path, key_path: Path, addresses: list[str]) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key_path.stat()
    except (OSError, ValueError):
        return False
    if cert.not_valid_after_utc - dt.datetime.now(dt.UTC) < RENEW_BEFORE:
        return False
    covered = {str(ip) for ip in cert.extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value.get_values_for_type(x509.IPAddress)}
    return set(addresses) <= covered  # a new home-network address needs a new certificate


def certificate_files(folder: Path, addresses: list[str]) -> tuple[Path, Path]:
    """(certificate, private key) PEM files in folder for these home-network addresses (and
    localhost), made on first use and when they need renewing."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "runthru-cert.pem", folder / "runthru-key.pem"
    if _still_good(cert_path, key_path, addresses):
        return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"RunThru on {socket.gethostname()}"[:64])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(_names(addresses)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=")


def daphne_endpoint(port: int, cert: Path, key: Path, interface: str = "0.0.0.0") -> str:
    """A Twisted endpoint string for daphne's `-e` that serves TLS with these files."""
    return (f"ssl:port={int(port)}:interface={_escape(interface)}:"
            f"privateKey={_escape(str(key))}:certKey={_escape(str(cert))}")
