"""A real CalDAV server for the sync tests and benchmarks: Radicale 3 from the test environment, as a subprocess
on a free port of 127.0.0.1, with its storage, config, htpasswd file and log in a temporary folder.

``start_radicale(folder)`` is the context manager (a test that stops or reconfigures its own server, a benchmark);
the fixtures share one server per session, because starting one costs far more than a collection, and give each
test an empty calendar collection of its own, so no test sees another's resources:

- ``radicale_server`` (session): the running ``Radicale``.
- ``dav_calendar`` (per test): a ``DavCalendar``, an empty calendar just made with MKCALENDAR.

The htpasswd file stores the password in plain text: the server then checks a login with one comparison, where a
salted hash is paid on every request (Radicale does not cache logins by default). The password is random per
server, so a test can search any output for it. caldav is imported only where a client is made, so that test
modules which never sync do not pay for importing it.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import caldav

USER = "analyst"
STARTUP_TIMEOUT = 30.0
_ATTEMPTS = 3  # a free port can be taken by another process between our probe and the server's bind


@dataclass(frozen=True)
class Radicale:
    """A running server: ``base_url`` ends with a slash; the user's collections live under ``home_url``."""

    base_url: str
    user: str
    password: str
    storage: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def home_url(self) -> str:
        return f"{self.base_url}{self.user}/"

    def client(self, password: str | None = None) -> caldav.DAVClient:
        """A caldav client for this server, sending Basic credentials from the first request on."""
        import caldav

        secret = self.password if password is None else password
        return caldav.DAVClient(url=self.base_url, username=self.user, password=secret, auth_type="basic")

    def make_calendar(self, name: str) -> str:
        """Create an empty calendar collection ``name`` with MKCALENDAR; its URL, ending with a slash."""
        url = f"{self.home_url}{name}/"
        with self.client() as client:
            response = client.mkcalendar(url)
        if response.status != 201:
            raise RuntimeError(f"MKCALENDAR {url} answered {response.status}")
        return url

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class DavCalendar:
    """An empty calendar collection on ``server``, with what a sync target needs to reach it."""

    server: Radicale
    url: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def user(self) -> str:
        return self.server.user

    @property
    def password(self) -> str:
        return self.server.password

    def client(self, password: str | None = None) -> caldav.DAVClient:
        return self.server.client(password)


def radicale_available(module: str = "radicale") -> None:
    """Skip when Radicale is not installed (fail in CI, where the test extra installs it)."""
    if importlib.util.find_spec(module) is not None:
        return
    message = f"Radicale is not installed in {sys.prefix}: pip install -e '.[test]' installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(folder: Path, port: int, *, auth_delay: float) -> Path:
    """The config file: htpasswd logins, each user owning only their own collections, no web interface."""
    path = folder / "config"
    path.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\ndelay_on_error = 0\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\n"
        f"delay = {auth_delay}\n"
        "[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[web]\ntype = none\n"
        "[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    return path


def _answers(url: str) -> bool:
    """Whether the server answers HTTP at all (any status: an unauthenticated request gets 401)."""
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _wait_until_up(server: Radicale) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"Radicale exited with {server.process.returncode}:\n{server.log_tail()}")
        if _answers(server.base_url):
            return
        time.sleep(0.02)
    raise RuntimeError(f"Radicale did not answer within {STARTUP_TIMEOUT} s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _launch(folder: Path, password: str, *, auth_delay: float) -> Radicale:
    port = _free_port()
    config = _config(folder, port, auth_delay=auth_delay)
    log = folder / "radicale.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    server = Radicale(f"http://127.0.0.1:{port}/", USER, password, folder / "collections", log, process)
    try:
        _wait_until_up(server)
    except BaseException:
        _stop(process)
        raise
    return server


@contextmanager
def start_radicale(folder: Path, *, auth_delay: float = 0.0) -> Iterator[Radicale]:
    """A Radicale serving from ``folder`` until the block ends, however it ends.

    ``auth_delay`` is Radicale's pause before a 401 (its default is 1 s, also for a request sent without
    credentials). It defaults to none, so that tests of refused logins stay quick; a benchmark that states the
    server's own cost should pass Radicale's default, 1.
    """
    radicale_available()
    folder.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    (folder / "users").write_text(f"{USER}:{password}\n", encoding="utf-8")
    for attempt in range(_ATTEMPTS):
        try:
            server = _launch(folder, password, auth_delay=auth_delay)
            break
        except RuntimeError:
            if attempt == _ATTEMPTS - 1:
                raise
    try:
        yield server
    finally:
        _stop(server.process)


@pytest.fixture(scope="session")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """One Radicale for the whole session."""
    with start_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def dav_calendar(radicale_server: Radicale) -> DavCalendar:
    """An empty calendar collection of this test's own on the session's Radicale."""
    if radicale_server.process.poll() is not None:
        pytest.fail(f"the session's Radicale has exited:\n{radicale_server.log_tail()}")
    name = f"t{secrets.token_hex(6)}"
    return DavCalendar(radicale_server, radicale_server.make_calendar(name))
