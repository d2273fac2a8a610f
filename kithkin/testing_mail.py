"""A real IMAP server for the tests of mail capture: Dovecot, started on 127.0.0.1 for a block.

Messages go in by writing maildir files straight into the folders (Dovecot finds them at the
next sign-in), which loads fifty thousand messages in seconds where APPEND would take minutes.
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from kithkin.testing import _free_port

DOVECOT = "/usr/sbin/dovecot"
# The folders besides the inbox, with the special use each is declared with.
FOLDERS = {"Sent": "\\Sent", "Drafts": "\\Drafts", "Trash": "\\Trash", "Junk": "\\Junk"}


def dovecot_or_skip() -> str:
    """Dovecot's path; without it the test is skipped, or fails where servers are required (CI)."""
    path = DOVECOT if os.access(DOVECOT, os.X_OK) else shutil.which("dovecot")
    if path:
        return path
    if os.environ.get("KITHKIN_REQUIRE_SERVERS") == "1":
        pytest.fail("Dovecot is not installed (apt-get install dovecot-imapd), and KITHKIN_REQUIRE_SERVERS=1")
    pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")


@dataclass
class ImapServer:
    """A Dovecot on 127.0.0.1 with one account and its maildir, which the test fills directly."""

    host: str
    port: int
    username: str
    password: str
    maildir: Path
    log: Path
    uid: int
    gid: int
    # With ``tls``: the port of IMAP over TLS (the plain port offers STARTTLS), and the
    # self-signed certificate of 127.0.0.1 to trust (SSL_CERT_FILE).
    tls_port: int | None = None
    certificate: Path | None = None
    _names: Iterator[int] = field(default_factory=itertools.count)

    def folder(self, name: str) -> Path:
        """The maildir of folder ``name`` ("INBOX", "Sent", …), made if missing."""
        path = self.maildir if name.upper() == "INBOX" else self.maildir / f".{name}"
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)
            self._own(path / sub)
        self._own(path)
        return path

    def add(self, folder: str, message: bytes, *, at: datetime | None = None) -> None:
        """One RFC 5322 message into ``folder``, received ``at`` (its INTERNALDATE), read."""
        self.add_many(folder, [(message, at)])

    def add_many(self, folder: str, messages: Iterable[tuple[bytes, datetime | None]]) -> int:
        """Messages, each with when it was received, into ``folder``; returns how many. Dovecot
        numbers new files in the order of their names, which begin with that time: give them
        oldest first, as a mailbox receives them."""
        cur = self.folder(folder) / "cur"
        count = 0
        for message, at in messages:
            stamp = at.timestamp() if at else time.time()
            n = next(self._names)
            # Maildir names: time, a unique part, the size, and the flags (seen).
            path = cur / f"{int(stamp)}.M{n:09d}P{os.getpid()}.kithkin,S={len(message)}:2,S"
            path.write_bytes(message.replace(b"\r\n", b"\n"))
            os.utime(path, (stamp, stamp))
            self._own(path)
            count += 1
        return count

    def reset_uidvalidity(self, folder: str) -> None:
        """Make the server number ``folder`` afresh under a new UIDVALIDITY, as a server does after
        its index is rebuilt: forget Dovecot's list of UIDs and its index of the folder."""
        path = self.folder(folder)
        for file in path.iterdir():
            if file.name.startswith(("dovecot-uidlist", "dovecot.index")):
                file.unlink()

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            os.chown(path, self.uid, self.gid)


def _config(
    dovecot: str, root: Path, port: int, passwd: Path, internal_user: str, login_user: str, tls_port: int | None
) -> str:
    folders = "\n".join(
        f"  mailbox {name} {{\n    special_use = {use}\n    auto = subscribe\n  }}" for name, use in FOLDERS.items()
    )
    version = subprocess.run([dovecot, "--version"], capture_output=True, text=True, check=False).stdout
    # Dovecot 2.4 renamed the setting that lets a password go unencrypted (here, over loopback).
    cleartext = "auth_allow_cleartext = yes" if version.startswith("2.4") else "disable_plaintext_auth = no"
    if tls_port is None:
        ssl = "ssl = no"
    elif version.startswith("2.4"):
        ssl = f"ssl = yes\nssl_server_cert_file = {root}/cert.pem\nssl_server_key_file = {root}/key.pem"
    else:
        ssl = f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem"
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
{cleartext}
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port or 0}
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {passwd}
}}
userdb {{
  driver = passwd-file
  args = {passwd}
}}
namespace inbox {{
  inbox = yes
  separator = /
{folders}
}}
"""


def _mail_user() -> tuple[str, int, int, str, str]:
    """Who the mailbox belongs to, and who Dovecot's own processes run as. Dovecot refuses root
    as a mail user, so as root the mailbox is ``nobody``'s; otherwise everything is ours."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        internal = "dovecot" if _exists("dovecot") else "nobody"
        login = "dovenull" if _exists("dovenull") else "nobody"
        return "nobody", nobody.pw_uid, nobody.pw_gid, internal, login
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_uid, me.pw_gid, me.pw_name, me.pw_name


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


@contextmanager
def imap_server(
    tmp_path: Path, *, username: str = "ana@example.com", password: str = "s3cret-app-password", tls: bool = False
) -> Iterator[ImapServer]:
    """A real IMAP server (Dovecot) on 127.0.0.1 for the block: plain IMAP (loopback), with
    ``tls`` also IMAP over TLS on a port of its own and STARTTLS on the plain one, one account
    signing in with ``password``, an inbox and the folders Sent, Drafts, Trash and Junk declared
    with their special uses; stopped, and waited for, after the block.

    Its files live in a directory of their own under the system's temporary directory rather
    than in ``tmp_path``: pytest's are private to us, and Dovecot's processes run as other users
    (and its sockets' paths must be short). The log is copied to ``tmp_path`` at the end."""
    dovecot = dovecot_or_skip()
    _, uid, gid, internal, login = _mail_user()
    root = Path(tempfile.mkdtemp(prefix="kithkin-imap-"))
    root.chmod(0o755)
    port = _free_port()
    home = root / "home"
    passwd = root / "passwd"
    passwd.write_text(f"{username}:{{PLAIN}}{password}:{uid}:{gid}::{home}\n")
    passwd.chmod(0o644)
    (root / "state").mkdir()
    conf = root / "dovecot.conf"
    tls_port = _free_port() if tls else None
    if tls:
        _self_signed(root)
    conf.write_text(_config(dovecot, root, port, passwd, internal, login, tls_port))
    server = ImapServer(
        "127.0.0.1",
        port,
        username,
        password,
        home / "Maildir",
        root / "dovecot.log",
        uid,
        gid,
        tls_port,
        root / "cert.pem" if tls else None,
    )
    home.mkdir()
    server._own(home)
    server.maildir.mkdir()
    server._own(server.maildir)
    for name in ("INBOX", *FOLDERS):
        server.folder(name)
    process = subprocess.Popen(
        [dovecot, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _wait_for(process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stderr:
            process.stderr.close()
        if server.log.exists():
            shutil.copy(server.log, tmp_path / "dovecot.log")
        shutil.rmtree(root, ignore_errors=True)


def _self_signed(root: Path) -> None:
    """A key and a self-signed certificate for 127.0.0.1 and localhost, in ``root``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (root / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (root / "key.pem").chmod(0o600)


def _wait_for(process: subprocess.Popen[bytes], server: ImapServer) -> None:
    """Until the server answers on its port (ten seconds at most)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            log = server.log.read_text(errors="replace") if server.log.exists() else ""
            raise RuntimeError(f"Dovecot stopped at start: {err} {log}".strip())
        try:
            with socket.create_connection((server.host, server.port), timeout=1) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"Dovecot did not answer on {server.host}:{server.port}")


def message(
    sender: str,
    to: str | Iterable[str],
    at: datetime,
    *,
    message_id: str,
    cc: Iterable[str] = (),
    replying_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
    subject: str = "Hello",
) -> bytes:
    """An RFC 5322 message as bytes. ``sender``, ``to`` and ``cc`` are header values as written
    ("Lena Fischer <lena@example.org>", or an RFC 2047 encoded name); ``replying_to``: the ids
    of the thread so far, oldest first (References, and In-Reply-To the last)."""
    lines = [
        f"From: {sender}",
        f"To: {to if isinstance(to, str) else ', '.join(to)}",
        *([f"Cc: {', '.join(cc)}"] if cc else []),
        f"Date: {format_datetime(at)}",
        f"Message-ID: <{message_id}>",
        f"Subject: {subject}",
    ]
    thread = list(replying_to)
    if thread:
        lines.append(f"In-Reply-To: <{thread[-1]}>")
        lines.append("References: " + " ".join(f"<{i}>" for i in thread))
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", "Body text.", ""]
    return "\r\n".join(lines).encode()
