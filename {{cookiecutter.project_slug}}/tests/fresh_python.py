"""Fresh processes for the settings tests at the cost of a fork each, not of a Python start.

``python -c "import config.settings"`` and ``manage.py check`` start Python and import Django
and pymongo each time: about 0.15 and 0.4 s of CPU, dozens of times in tests/test_settings.py,
test_deploy.py and test_checks.py. ``run()`` hands each command to one server process per test
process instead (``python -m tests.fresh_python``): it imports Django and pymongo once, then
forks a child per command, which takes the command's environment and working directory and runs
it as ``python <args>`` would, its exit status and output returned as by ``subprocess.run``.
The project's own modules (``config``, ``accounts``) are imported by the children only, so each
run reads its settings and environment as a new process does, and no run sees another's.
"""

import atexit
import json
import os
import runpy
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Third-party only, and none of them reads settings when imported (asserted below). Not the
# database backends: config/database.py must be in place before they load (its GDAL finder).
PRELOAD = ("django.core.management", "django.db.models", "django.http", "django.urls", "pymongo")

_lock = threading.Lock()
_server: subprocess.Popen | None = None


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``python *args`` in PROJECT_DIR with exactly ``env``, in a process of its own."""
    global _server
    with _lock:
        if _server is None or _server.poll() is not None:
            _server = subprocess.Popen(
                [sys.executable, "-m", "tests.fresh_python"],
                cwd=PROJECT_DIR,
                env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            atexit.register(_stop, _server)
        _server.stdin.write(json.dumps({"args": args, "env": env}) + "\n")
        _server.stdin.flush()
        answer = _server.stdout.readline()
    assert answer, "tests.fresh_python exited"
    done = json.loads(answer)
    return subprocess.CompletedProcess(
        [sys.executable, *args], done["returncode"], done["stdout"], done["stderr"]
    )


def _stop(server: subprocess.Popen) -> None:
    """End the server (it stops at the end of its input) and reap it, so its CPU is counted."""
    server.stdin.close()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _child(args: list[str], env: dict[str, str], out: int, err: int) -> None:
    """Become ``python *args`` with ``env``; never return."""
    code = 1
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # never the server's requests
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - the process's own streams
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        os.environ.clear()
        os.environ.update(env)
        try:
            if args[0] == "-c":
                sys.argv = ["-c", *args[2:]]
                sys.path[0] = ""
                exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
            else:
                sys.argv = list(args)
                sys.path[0] = str(PROJECT_DIR)
                runpy.run_path(args[0], run_name="__main__")
            code = 0
        except SystemExit as exc:  # as the interpreter reads sys.exit()'s argument
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
        except BaseException:
            sys.excepthook(*sys.exc_info())
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def serve() -> None:
    """Answer one JSON line per command on stdin, forking a child for each."""
    for module in PRELOAD:
        __import__(module)
    assert "config" not in sys.modules, "a preloaded module read the project's settings"
    for line in sys.stdin:
        request = json.loads(line)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(request["args"], request["env"], out.fileno(), err.fileno())
            _, status = os.waitpid(pid, 0)
            out.seek(0)
            err.seek(0)
            answer = {
                "returncode": os.waitstatus_to_exitcode(status),
                "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace"),
            }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    os.chdir(PROJECT_DIR)
    serve()
