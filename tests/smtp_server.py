"""A real local SMTP server (aiosmtpd) for the mail tests: STARTTLS with a self-signed
certificate for 127.0.0.1 and a login required over TLS. tests/conftest.py's `smtp` fixture
starts it and points the PEMILU_SMTP_* settings at it."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "pemilu", "rahasia-uji"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD)
    return AuthResult(success=ok)


def _certificate(folder):
    """A self-signed certificate for 127.0.0.1 (cryptography), and its file for the client."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextmanager
def running(folder: Path, monkeypatch) -> Iterator[Inbox]:
    """The server on a free port, the settings pointing at it; stopped on exit."""
    cert, key = _certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=_authenticate,
                            auth_require_tls=True)
    controller.start()
    monkeypatch.setenv("PEMILU_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PEMILU_SMTP_PORT", str(port))
    monkeypatch.setenv("PEMILU_SMTP_USER", USER)
    monkeypatch.setenv("PEMILU_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("PEMILU_SMTP_FROM", "ringkasan@example.go.id")
    monkeypatch.setenv("PEMILU_SMTP_CAFILE", str(cert))
    monkeypatch.delenv("PEMILU_ACCESS", raising=False)
    try:
        yield inbox
    finally:
        controller.stop()
