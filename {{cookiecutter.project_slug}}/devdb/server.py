"""Start and stop a SecantusDB server as a child process on 127.0.0.1."""

import contextlib
import os
import select
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HOST = "127.0.0.1"
# SecantusDB with our one workaround applied (see that file for the bug and its reproduction).
COMPAT_LAUNCHER = Path(__file__).resolve().parent / "secantus_compat.py"
START_TIMEOUT = 30.0


class EmbeddedServerError(RuntimeError):
    """The embedded server could not start; the message says what to do, in one line."""


def free_port() -> int:
    """Ask the OS for a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    """Tell whether something already listens on ``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


def server_python() -> str:
    """Return the interpreter that has SecantusDB installed.

    ``DEVDB_PYTHON`` names another environment's interpreter, for projects whose
    own environment cannot hold SecantusDB (it needs pymongo 4.6+).
    """
    return os.environ.get("DEVDB_PYTHON") or sys.executable


class EmbeddedServer:
    """One SecantusDB process: in memory (tests) or with data under ``storage`` (``make run``)."""

    def __init__(self, port: int | None = None, storage: Path | None = None):
        self.port = port or free_port()
        self.storage = storage
        self.process: subprocess.Popen | None = None
        self._log = None
        self._ready: int | None = None

    @property
    def uri(self) -> str:
        return f"mongodb://{HOST}:{self.port}/"

    def start(self, cancelled: Callable[[], bool] | None = None) -> "EmbeddedServer":
        """Start the server and wait until it accepts connections.

        ``cancelled`` is asked while waiting: once true, the half-started server is stopped
        and the start fails, so a Ctrl-C during the start does not wait for it to finish.
        """
        return self.launch().wait_until_ready(cancelled)

    def launch(self) -> "EmbeddedServer":
        """Start the server process without waiting for it: see ``wait_until_ready``.

        The test plugin launches it first and waits at the session's start, so the server's
        start overlaps pytest-django's Django set-up and the conftest imports.
        """
        python = server_python()
        if port_in_use(self.port):
            raise EmbeddedServerError(
                f"port {self.port} on {HOST} is already in use: stop what runs there, "
                "pick another with DEVDB_PORT=<port>, or set MONGODB_URI to use that server."
            )
        storage = ":memory:"
        if self.storage is not None:
            self.storage.mkdir(parents=True, exist_ok=True)
            storage = str(self.storage)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        # The launcher writes one byte to this pipe once it listens, and the pipe ends (EOF)
        # if it exits first: no connection attempts to poll, no polling interval to wait out.
        self._ready, ready_writer = os.pipe()
        self.process = subprocess.Popen(
            [
                python,
                str(COMPAT_LAUNCHER),
                "--ready-fd",
                str(ready_writer),
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--storage-path",
                storage,
                "--log-level",
                "WARNING",
            ],
            # SecantusDB's geo support imports numpy, whose OpenBLAS would start a thread per
            # core for nothing: one makes every start about 0.04 s of CPU cheaper.
            env={"OPENBLAS_NUM_THREADS": "1", **os.environ},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=(ready_writer,),
        )
        os.close(ready_writer)
        return self

    def wait_until_ready(self, cancelled: Callable[[], bool] | None = None) -> "EmbeddedServer":
        """Wait until the launched server accepts connections; stop it if it cannot."""
        if self._ready is None:  # already waited for
            return self
        try:
            self._wait_until_ready(cancelled)
        except EmbeddedServerError:
            self.stop()  # nothing left behind: the caller sees one clear error
            raise
        os.close(self._ready)
        self._ready = None
        return self

    def _wait_until_ready(self, cancelled: Callable[[], bool] | None) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while (remaining := deadline - time.monotonic()) > 0:
            if cancelled is not None and cancelled():
                raise EmbeddedServerError("the start was interrupted.")
            if select.select([self._ready], [], [], min(remaining, 0.05))[0]:
                if os.read(self._ready, 1):
                    return
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=5)  # the pipe closes as it exits: its last words
                raise EmbeddedServerError(self._failure_reason())
        raise EmbeddedServerError(
            f"SecantusDB did not start within {START_TIMEOUT:.0f} s: see the output of "
            f"`{server_python()} -m secantus --port {self.port}`, or set MONGODB_URI."
        )

    def _failure_reason(self) -> str:
        self._log.seek(0)
        output = self._log.read().decode("utf-8", "replace")
        # Found out from the launcher's own failure: a separate check cost a process per start.
        if "No module named 'secantus'" in output:
            return (
                f"SecantusDB is not installed for {server_python()}: run `make install`, "
                "or set MONGODB_URI to use another MongoDB server."
            )
        if self.storage is not None and ("lock" in output.lower() or "busy" in output.lower()):
            return (
                f"the data directory {self.storage} is in use by another SecantusDB "
                "(is `make run` already running?): stop it, or remove the directory."
            )
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
        return (
            f"SecantusDB exited at start ({last.strip()}): set MONGODB_URI to use another server."
        )

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and release its port."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._ready is not None:
            os.close(self._ready)
            self._ready = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "EmbeddedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
