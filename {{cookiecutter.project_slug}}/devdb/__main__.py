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
import sys
from pathlib import Path

from devdb.server import HOST, EmbeddedServer, EmbeddedServerError, port_in_use
from devdb.supervise import Supervisor

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


def run(command: list[str]) -> int:
    """Run ``command`` (a shell line when one string) with a database; return its exit code.

    A stop signal (Ctrl-C, SIGTERM, SIGHUP) at any moment, even while the database starts,
    stops the command's whole process group, then the database: see ``devdb.supervise``. On a
    terminal the command owns it: Ctrl-C goes to the command alone, so an interactive shell
    survives it, and so does its database.
    """
    with Supervisor() as supervisor:
        if os.environ.get("MONGODB_URI"):
            return supervisor.run(command, dict(os.environ))
        shared = running_server_uri()
        if shared:
            print(f"devdb: using the SecantusDB already running on {shared}", file=sys.stderr)
            return supervisor.run(command, {**os.environ, "MONGODB_URI": shared})
        try:
            port = int(os.environ.get("DEVDB_PORT", DEFAULT_PORT))
        except ValueError:
            print("devdb: DEVDB_PORT must be a port number.", file=sys.stderr)
            return 2
        server = EmbeddedServer(port=port, storage=DATA_DIR.resolve())
        try:
            server.start(cancelled=lambda: supervisor.stopping)
            RUNNING_FILE.write_text(f"{server.process.pid} {server.port}\n", encoding="ascii")
            if supervisor.stopping:
                return supervisor.exit_code
            print(f"devdb: SecantusDB on {server.uri} (data in {DATA_DIR}/)", file=sys.stderr)
            return supervisor.run(command, {**os.environ, "MONGODB_URI": server.uri})
        except EmbeddedServerError as exc:
            if supervisor.stopping:  # the signal, not the server, cut the start short
                return supervisor.exit_code
            print(f"devdb: {exc}", file=sys.stderr)
            return 1
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
