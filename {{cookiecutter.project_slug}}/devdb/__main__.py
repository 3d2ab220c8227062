"""Run a command with the embedded server: ``python -m devdb run -- CMD ...``.

With ``MONGODB_URI`` set, the command runs against that server and nothing is
started. Otherwise SecantusDB starts on 127.0.0.1 (``DEVDB_PORT``, default
27018; 0 picks a free one) with its data under ``.devdb/``, ``MONGODB_URI`` points at it for the
command, and it stops when the command ends (Ctrl-C included).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from devdb.server import EmbeddedServer, EmbeddedServerError

DATA_DIR = Path(".devdb") / "data"
DEFAULT_PORT = 27018


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run(command: list[str]) -> int:
    """Run ``command`` (a shell line when one string) with a database; return its exit code."""
    if os.environ.get("MONGODB_URI"):
        return subprocess.call(command, shell=len(command) == 1)
    try:
        port = int(os.environ.get("DEVDB_PORT", DEFAULT_PORT))
    except ValueError:
        print("devdb: DEVDB_PORT must be a port number.", file=sys.stderr)
        return 2
    server = EmbeddedServer(port=port, storage=DATA_DIR.resolve())
    # A closed terminal (SIGHUP) or a kill (SIGTERM) must stop the database too, like Ctrl-C.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)
    child = None
    try:
        server.start()
        print(f"devdb: SecantusDB on {server.uri} (data in {DATA_DIR}/)", file=sys.stderr)
        env = {**os.environ, "MONGODB_URI": server.uri}
        child = subprocess.Popen(command, env=env, shell=len(command) == 1)
        return child.wait()
    except EmbeddedServerError as exc:
        print(f"devdb: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if child is None:
            return 130
        child.send_signal(signal.SIGINT)
        return child.wait()
    finally:
        if server.process is not None:
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
