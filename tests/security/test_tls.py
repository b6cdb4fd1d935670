"""The home-network HTTPS certificate: made once, for this computer's names, kept private."""

import socket
import ssl
import stat
import subprocess
import sys
import time

import pytest
from cryptography import x509

from runthru_site.tls import certificate_files, daphne_endpoint


def test_the_certificate_is_made_once_and_names_localhost_and_the_home_address(tmp_path):
    cert, key = certificate_files(tmp_path, addresses=["192.168.1.23"])
    first = cert.read_bytes()
    assert certificate_files(tmp_path, addresses=["192.168.1.23"]) == (cert, key)
    assert cert.read_bytes() == first  # reused, so browsers warn only once
    names = x509.load_pem_x509_certificate(first).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert {str(a) for a in names.get_values_for_type(x509.IPAddress)} >= {"127.0.0.1", "192.168.1.23"}
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_new_home_address_gets_a_new_certificate(tmp_path):
    cert, _ = certificate_files(tmp_path, addresses=["192.168.1.23"])
    first = cert.read_bytes()
    certificate_files(tmp_path, addresses=["10.0.0.7"])
    assert cert.read_bytes() != first


@pytest.mark.slow
def test_daphne_serves_https_with_it(tmp_path):
    cert, key = certificate_files(tmp_path, addresses=[])
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-e", daphne_endpoint(port, cert, key, "127.0.0.1"),
                               "runthru_site.asgi:application"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        for _ in range(100):
            try:
                with context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=1),
                                         server_hostname="localhost") as tls:
                    assert tls.version().startswith("TLS")
                    return
            except (ConnectionRefusedError, OSError):
                time.sleep(0.2)
        pytest.fail("daphne never answered over TLS")
    finally:
        server.terminate()
        server.wait(timeout=10)
