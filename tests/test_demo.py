"""`make demo`, the template README's first command: bake the defaults and serve them."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import BAKEABLE_ORMS, DEFAULT_SLUG, clean_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(BAKEABLE_ORMS[0])]

HEALTH_URL = "http://127.0.0.1:8000/api/health"


def port_8000_is_free() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", 8000)) != 0


def wait_for_health(process: subprocess.Popen, timeout: float) -> tuple[int, dict]:
    """Poll the health endpoint until it answers; fail if `make demo` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"make demo exited with {process.returncode}"
        try:
            with urllib.request.urlopen(HEALTH_URL, timeout=5) as response:
                return response.status, json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise AssertionError(f"nothing answered on {HEALTH_URL} within {timeout} s")


def stop_group(process: subprocess.Popen) -> None:
    """Ctrl-C the whole `make demo` process group, as a developer would, then make sure."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the embedded server stops after make returns
            os.killpg(process.pid, 0)
            time.sleep(0.2)
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_make_demo_bakes_the_defaults_into_demo_and_serves_them(
    template_copy, installed_project, tmp_path
):
    if not port_8000_is_free():
        pytest.skip("port 8000 is taken on this machine (another `make run`?)")
    _, venv = installed_project(BAKEABLE_ORMS[0])
    log = (tmp_path / "demo.log").open("w+")
    process = subprocess.Popen(
        # -o install: the running interpreter already has cookiecutter, so skip the root
        # venv; the demo project installs into the venv this run shares between bakes.
        ["make", "-o", "install", "demo", f"VENV={sys.prefix}", f"DEMO_VENV={venv}"],
        cwd=template_copy,
        env=clean_env(DEVDB_PORT="0"),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, body = wait_for_health(process, timeout=180)
    finally:
        stop_group(process)
        log.seek(0)
        output = log.read()
        log.close()
    assert (status, body["database"]) == (200, "ok"), output
    demo = template_copy / "demo" / DEFAULT_SLUG
    assert f"baked {demo}" in output
    assert (demo / ".env").is_file() and (demo / ".devdb").is_dir()
    assert "devdb: SecantusDB stopped." in output
