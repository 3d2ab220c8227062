"""Shared fixtures: the real database (embedded or MONGODB_URI) and processes run against it."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from devdb.server import free_port

PROJECT_DIR = Path(__file__).resolve().parent.parent


def http_get(url: str, timeout: float = 15.0) -> tuple[int, bytes, dict]:
    """GET ``url``; return status, body and headers, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


class AppProcess:
    """The project under gunicorn, as deployed, against a given MongoDB URI."""

    def __init__(self, mongodb_uri: str, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "MONGODB_URI": mongodb_uri,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            **env,
        }
        self.process = None

    def start(self) -> "AppProcess":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--log-level", "warning"],
            cwd=PROJECT_DIR, env=self.env, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn exited at start"
            try:
                http_get(self.url + "/api/health", timeout=10)
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not answer within 30 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def app_process():
    """Start gunicorn processes on demand; stop them all afterwards."""
    started = []

    def start(mongodb_uri: str, **env: str) -> AppProcess:
        app = AppProcess(mongodb_uri, **env).start()
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()
