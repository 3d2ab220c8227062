"""Run a command with the embedded server: ``python -m devdb run -- CMD ...``.

With ``MONGODB_URI`` set, the command runs against that server and nothing is
started. Otherwise, when a SecantusDB started by another ``devdb run`` (say
``make run``) is up on this project's data, the command uses it; else one starts
on 127.0.0.1 (``DEVDB_PORT``, default 27018; 0 picks a free one) with its data
under ``.devdb/``, ``MONGODB_URI`` points at it for the command, and it stops
when the command ends (Ctrl-C included). This is what ``make manage``,
``make shell``, ``make migrations`` and ``make superuser`` go through.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from devdb.server import HOST, EmbeddedServer, EmbeddedServerError, port_in_use

DATA_DIR = Path(".devdb") / "data"
# "<pid> <port>" of the SecantusDB a `devdb run` started, so other commands can share it.
RUNNING_FILE = Path(".devdb") / "running"
DEFAULT_PORT = 27018


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_server_uri() -> str | None:
    """Return the URI of the SecantusDB another ``devdb run`` serves from ``.devdb/``, if any."""
    try:
        pid, port = (int(word) for word in RUNNING_FILE.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return None
    if _process_alive(pid) and port_in_use(port):
        return f"mongodb://{HOST}:{port}/"
    return None


def _call(command: list[str], env: dict | None = None) -> int:
    """Run ``command`` to its end; pass stop signals on instead of dying before it."""
    # From a terminal, Ctrl-C already reaches the child (same process group): an interactive
    # shell survives it, and so must its database. Without one (a script, a test, a service),
    # the child gets a process group of its own, so a stop signal reaches everything it started
    # (a shell line's commands, runserver's autoreloader child), not just its first process.
    interactive = sys.stdin is not None and sys.stdin.isatty()
    child = subprocess.Popen(
        command, env=env, shell=len(command) == 1, process_group=None if interactive else 0
    )

    def forward(signum, frame):
        if child.poll() is not None or (signum == signal.SIGINT and interactive):
            return
        sent = signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM
        try:
            if interactive:
                child.send_signal(sent)
            else:
                os.killpg(child.pid, sent)
        except ProcessLookupError:
            pass

    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, forward)
    return child.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run(command: list[str]) -> int:
    """Run ``command`` (a shell line when one string) with a database; return its exit code."""
    if os.environ.get("MONGODB_URI"):
        return subprocess.call(command, shell=len(command) == 1)
    shared = running_server_uri()
    if shared:
        print(f"devdb: using the SecantusDB already running on {shared}", file=sys.stderr)
        return _call(command, env={**os.environ, "MONGODB_URI": shared})
    try:
        port = int(os.environ.get("DEVDB_PORT", DEFAULT_PORT))
    except ValueError:
        print("devdb: DEVDB_PORT must be a port number.", file=sys.stderr)
        return 2
    server = EmbeddedServer(port=port, storage=DATA_DIR.resolve())
    # While the server starts, a stop signal must still stop it: nothing left behind.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)
    try:
        server.start()
        RUNNING_FILE.write_text(f"{server.process.pid} {server.port}\n", encoding="ascii")
        print(f"devdb: SecantusDB on {server.uri} (data in {DATA_DIR}/)", file=sys.stderr)
        return _call(command, env={**os.environ, "MONGODB_URI": server.uri})
    except EmbeddedServerError as exc:
        print(f"devdb: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if server.process is not None:
            RUNNING_FILE.unlink(missing_ok=True)
            server.stop()
            print("devdb: SecantusDB stopped.", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Parse ``run -- CMD ...``."""
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: python -m devdb run -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    return run(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
