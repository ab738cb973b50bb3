"""The README's Radicale example works as written: its Radicale config, its login line, its calendar, its
``[sync.team]`` table and its first sync, run against a Radicale started from that config (on a free port
instead of 5232, in this test's home instead of the user's), printing what the README shows.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Result
from radicale_server import _free_port, radicale_available

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(marker: str) -> str:
    found = re.search(rf"<!-- {marker} -->\n```\w+\n(.*?)```", README, flags=re.DOTALL)
    assert found, f"README has no block after <!-- {marker} -->"
    return found.group(1)


@pytest.fixture
def readme_radicale(tmp_path: Path) -> Iterator[int]:
    """Radicale started as the README says, from its config with the port changed; the README's login line."""
    radicale_available()
    home = Path(os.environ["HOME"])
    port = _free_port()
    (home / "radicale").mkdir(parents=True)
    config = _block("radicale-config").replace("127.0.0.1:5232", f"127.0.0.1:{port}")
    (home / "radicale" / "config").write_text(config, encoding="utf-8")
    login = re.search(r"echo '([^']+)' > ~/radicale/users", _block("radicale-commands"))
    assert login
    (home / "radicale" / "users").write_text(login.group(1) + "\n", encoding="utf-8")
    log = (tmp_path / "radicale.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(home / "radicale" / "config")], stdout=log, stderr=log
    )
    try:
        _wait(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("OPTIONS", "/")
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("the README's Radicale did not start")


def test_the_readme_radicale_example_syncs_the_example(
    readme_radicale: int, sco_cal: Callable[..., Result], example: Path
) -> None:
    port = readme_radicale
    commands = _block("radicale-commands").replace("127.0.0.1:5232", f"127.0.0.1:{port}")
    mkcalendar = re.search(r"curl -u (\S+):(\S+) -X MKCALENDAR (\S+)", commands)
    assert mkcalendar
    user, password, url = mkcalendar.groups()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    login = base64.b64encode(f"{user}:{password}".encode()).decode()
    connection.request(
        "MKCALENDAR", url.removeprefix(f"http://127.0.0.1:{port}"), headers={"Authorization": f"Basic {login}"}
    )
    assert connection.getresponse().status == 201
    table = re.search(r"mkdir -p ~/.config/sco-cal && printf '(.*?)' >> ~/.config/sco-cal/config.toml", commands)
    assert table
    Path(os.environ["SCO_CAL_CONFIG"]).write_text(table.group(1).replace("\\n", "\n"), encoding="utf-8")
    run = re.search(
        r"SCO_CAL_DAV_PASSWORD=(\S+) sco-cal --registry examples/sco-defence.yaml sync$", commands, re.MULTILINE
    )
    assert run
    result = sco_cal("--registry", example, "sync", env={"SCO_CAL_DAV_PASSWORD": run.group(1)})
    assert result.code == 0, result.stderr
    assert result.stdout == _block("radicale-output")
