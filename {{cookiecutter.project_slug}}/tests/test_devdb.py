"""The embedded server: real SecantusDB processes, clear one-line failures."""

import os
import pty
import select
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pymongo
import pytest

from devdb.server import HOST, EmbeddedServer, EmbeddedServerError, free_port, port_in_use
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.processes


def bare_env(**extra: str) -> dict:
    """A minimal environment for a child process, keeping where SecantusDB lives."""
    env = {"PATH": "/usr/bin:/bin", **extra}
    if os.environ.get("DEVDB_PYTHON"):
        env["DEVDB_PYTHON"] = os.environ["DEVDB_PYTHON"]
    return env


def start_wrapper(cwd, env: dict) -> subprocess.Popen:
    """Start ``devdb run -- sleep 60`` (the shape of ``make run``); its stderr is a pipe."""
    return subprocess.Popen(
        [sys.executable, "-m", "devdb", "run", "--", "sleep", "60"],
        cwd=cwd,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_wrapper(cwd, env: dict, *command: str) -> subprocess.CompletedProcess:
    """Run ``devdb run -- *command`` to its end; its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "devdb", "run", "--", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_embedded_server_serves_real_mongodb_protocol():
    with EmbeddedServer() as server:
        client = pymongo.MongoClient(server.uri, serverSelectionTimeoutMS=5000)
        client.scratch.things.insert_one({"_id": 1, "name": "x"})
        assert client.scratch.things.find_one({"_id": 1})["name"] == "x"
        client.close()


def test_data_survives_a_restart_under_the_storage_dir(tmp_path):
    with EmbeddedServer(storage=tmp_path / "data") as server:
        client = pymongo.MongoClient(server.uri, serverSelectionTimeoutMS=5000)
        client.scratch.things.insert_one({"_id": "kept"})
        client.close()
    with EmbeddedServer(storage=tmp_path / "data") as server:
        client = pymongo.MongoClient(server.uri, serverSelectionTimeoutMS=5000)
        assert client.scratch.things.find_one({"_id": "kept"}) == {"_id": "kept"}
        client.close()


def test_a_taken_port_gives_one_line_saying_what_to_do():
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(EmbeddedServerError) as excinfo:
            EmbeddedServer(port=port).start()
    message = str(excinfo.value)
    assert "\n" not in message
    assert f"port {port}" in message and "DEVDB_PORT" in message and "MONGODB_URI" in message


def test_make_run_wrapper_reports_a_taken_port_without_a_traceback(tmp_path):
    # In a directory of its own: in the project's, a `make run` that is up would be reused.
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = bare_env(DEVDB_PORT=str(port), PYTHONPATH=str(PROJECT_DIR))
        result = run_wrapper(tmp_path, env, "true")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert f"port {port}" in result.stderr


def test_make_run_wrapper_runs_the_command_against_the_embedded_server(tmp_path):
    # Run in a scratch copy-free dir: the wrapper keeps its data under ./.devdb of the cwd.
    env = bare_env(DEVDB_PORT="0", PYTHONPATH=str(PROJECT_DIR))
    code = (
        "import os, pymongo; "
        "print(pymongo.MongoClient(os.environ['MONGODB_URI']).admin.command('ping')['ok'])"
    )
    result = run_wrapper(tmp_path, env, sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1.0"
    assert (tmp_path / ".devdb" / "data").is_dir()


def test_the_wrapper_stays_out_of_the_way_when_mongodb_uri_is_set(tmp_path):
    env = bare_env(MONGODB_URI="mongodb://elsewhere.invalid/x", PYTHONPATH=str(PROJECT_DIR))
    code = "import os; print(os.environ['MONGODB_URI'])"
    result = run_wrapper(tmp_path, env, sys.executable, "-c", code)
    assert result.stdout.strip() == "mongodb://elsewhere.invalid/x"
    assert not (tmp_path / ".devdb").exists()


@pytest.fixture
def scratch_database():
    """A database of this test's own on the suite's server, dropped afterwards.

    That server is the launcher's SecantusDB (or MONGODB_URI's server), so the workarounds
    are proven where the rest of the suite relies on them, without a server start per test.
    """
    client = pymongo.MongoClient(os.environ["MONGODB_URI"], serverSelectionTimeoutMS=5000)
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    yield client[name]
    client.drop_database(name)
    client.close()


def test_add_fields_merges_into_an_embedded_document_as_mongod_does(scratch_database):
    # The SecantusDB bug worked around in devdb/secantus_compat.py; a real mongod passes too.
    scratch_database.c.insert_one({"_id": 1, "specs": {"doors": 4}})
    (doc,) = scratch_database.c.aggregate([{"$addFields": {"specs": {"fuel": "unleaded"}}}])
    assert doc == {"_id": 1, "specs": {"doors": 4, "fuel": "unleaded"}}


def test_a_string_equality_uses_a_type_string_partial_index_as_mongod_does(scratch_database):
    # The second workaround in devdb/secantus_compat.py: django-mongodb-backend's unique
    # indexes all have this filter, and the link and session look-ups rely on them.
    things = scratch_database.things
    things.create_index(
        "digest", unique=True, partialFilterExpression={"digest": {"$type": "string"}}
    )
    things.insert_many([{"digest": f"d{n}"} for n in range(20)] + [{"digest": 7}])
    plan = things.find({"digest": "d3"}).explain()["queryPlanner"]["winningPlan"]
    found = [doc["digest"] for doc in things.find({"digest": "d3"})]
    numeric = [doc["digest"] for doc in things.find({"digest": 7})]
    assert "IXSCAN" in repr(plan) and found == ["d3"] and numeric == [7]


def test_all_through_an_array_of_subdocuments_matches_as_mongod_does(scratch_database):
    # Another workaround in devdb/secantus_compat.py: each value of $all may come from another
    # element (social login's unlink conditions its update on the identity ids it read).
    scratch_database.c.insert_one({"_id": 1, "a": [{"id": "x"}, {"id": "y"}], "tags": ["p", "q"]})
    count = scratch_database.c.count_documents
    assert count({"a.id": {"$all": ["x", "y"]}}) == 1
    assert count({"a.id": {"$all": ["x", "z"]}}) == 0
    assert count({"tags": {"$all": ["p", "q"]}}) == 1 and count({"tags": {"$all": ["p", "z"]}}) == 0


def test_killing_the_make_run_wrapper_stops_the_database_too(tmp_path):
    port = free_port()
    env = bare_env(DEVDB_PORT=str(port), PYTHONPATH=str(PROJECT_DIR))
    wrapper = start_wrapper(tmp_path, env)
    assert "SecantusDB on" in wrapper.stderr.readline()
    assert port_in_use(port)
    wrapper.send_signal(signal.SIGTERM)
    wrapper.wait(timeout=20)
    assert "SecantusDB stopped" in wrapper.stderr.read()
    assert not port_in_use(port)


# A child that would outlive a naive wrapper: it ignores every stop signal, and it runs under a
# shell line, as `make run`'s "migrate && runserver" does, so only its process group reaches it.
STUBBORN_CHILD = """
import os, signal, sys, time
for name in ("SIGINT", "SIGTERM", "SIGHUP"):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
with open(sys.argv[1] + ".tmp", "w") as pid_file:
    pid_file.write(str(os.getpid()))
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)
"""


def running(pid: int) -> bool:
    """Tell whether ``pid`` runs (a zombie waiting for its parent to reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def server_of(wrapper_pid: int) -> int | None:
    """Return the pid of the SecantusDB the wrapper started, once it runs the launcher."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rpartition(")")[2].split()[1])
            if ppid == wrapper_pid and b"secantus_compat" in (stat.parent / "cmdline").read_bytes():
                return int(stat.parent.name)
        except (OSError, ValueError):
            continue
    return None


def wait_for(predicate, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


STAGES = ["while-the-database-starts", "just-after-it-is-up", "while-the-command-runs"]
SIGNALS = [
    pytest.param(stage, signum, id=f"{signum.name}-{stage}")
    for stage in STAGES
    for signum in (signal.SIGINT, signal.SIGTERM)
] + [pytest.param(STAGES[2], signal.SIGHUP, id=f"SIGHUP-{STAGES[2]}")]


@pytest.mark.parametrize(("stage", "signum"), SIGNALS)
def test_a_stop_signal_at_any_stage_leaves_neither_command_nor_database_behind(
    tmp_path, stage, signum
):
    port, pid_file = free_port(), tmp_path / "child.pid"
    # The child's stderr apart: a SIGINT that lands while its interpreter starts makes it print
    # a KeyboardInterrupt traceback of its own, as any Python would; the wrapper must print none.
    line = (
        f"true && {shlex.quote(sys.executable)} -c {shlex.quote(STUBBORN_CHILD)} {pid_file}"
        f" 2>{tmp_path / 'child.err'}"
    )
    wrapper = subprocess.Popen(
        [sys.executable, "-m", "devdb", "run", "--", line],
        cwd=tmp_path,
        # The child ignores the signal: the wrapper kills it once this grace has passed.
        env=bare_env(DEVDB_PORT=str(port), DEVDB_STOP_TIMEOUT="0.2", PYTHONPATH=str(PROJECT_DIR)),
        stderr=subprocess.PIPE,
        text=True,
    )
    if stage == "while-the-database-starts":
        # The wrapper's handlers exist before it starts the server, which runs but is not up yet.
        assert wait_for(lambda: server_of(wrapper.pid) is not None)
        server = server_of(wrapper.pid)
    else:
        assert "SecantusDB on" in wrapper.stderr.readline()
        server = server_of(wrapper.pid)
        if stage == "while-the-command-runs":
            assert wait_for(pid_file.exists)
    wrapper.send_signal(signum)
    wrapper.wait(timeout=30)
    output = wrapper.stderr.read()

    assert wrapper.returncode == 128 + signum, output  # the shell's convention
    assert "Traceback" not in output
    if "SecantusDB on" in output or stage != "while-the-database-starts":
        assert "SecantusDB stopped" in output
    assert server is not None and not running(server)
    assert not port_in_use(port)
    if pid_file.exists():
        assert not running(int(pid_file.read_text()))


def test_a_sigterm_reaches_the_command_as_a_sigterm(tmp_path):
    received = tmp_path / "received"
    code = (
        "import signal, sys, time\n"
        "def note(signum, frame):\n"
        f"    open({str(received)!r}, 'w').write(signal.Signals(signum).name)\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, note)\n"
        "signal.signal(signal.SIGINT, note)\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    wrapper = subprocess.Popen(
        [sys.executable, "-m", "devdb", "run", "--", sys.executable, "-c", code],
        cwd=tmp_path,
        # With MONGODB_URI set nothing starts: the same supervision, without a database.
        env=bare_env(MONGODB_URI="mongodb://elsewhere.invalid/x", PYTHONPATH=str(PROJECT_DIR)),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert wrapper.stdout.readline().strip() == "ready"
    wrapper.send_signal(signal.SIGTERM)
    assert wrapper.wait(timeout=30) == 128 + signal.SIGTERM
    assert received.read_text() == "SIGTERM"


def run_on_a_terminal(command: list[str], typed: bytes) -> tuple[bytes, int]:
    """Run the wrapper on a pseudo-terminal, type ``typed`` once the command says "ready"."""
    pid, terminal = pty.fork()
    if pid == 0:  # the wrapper, as a shell starts it: session leader, terminal in the foreground
        env = bare_env(MONGODB_URI="mongodb://elsewhere.invalid/x", PYTHONPATH=str(PROJECT_DIR))
        os.execve(sys.executable, [sys.executable, "-m", "devdb", "run", "--", *command], env)  # noqa: S606
    output, typed_yet, deadline = b"", False, time.monotonic() + 30
    while time.monotonic() < deadline:
        if select.select([terminal], [], [], 0.1)[0]:
            try:
                output += os.read(terminal, 1024)
            except OSError:  # the terminal closed: the wrapper is gone
                break
        if not typed_yet and b"ready" in output:
            os.write(terminal, typed)
            typed_yet = True
    else:
        os.kill(pid, signal.SIGKILL)
    os.close(terminal)
    return output, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_on_a_terminal_the_command_can_prompt_and_gets_the_ctrl_c():
    # `make superuser` and `make shell` prompt through the wrapper: the command must own the
    # terminal (a background reader would be stopped by SIGTTIN), and Ctrl-C goes to it.
    prompt = "print('ready', flush=True); print('got', input())"
    output, code = run_on_a_terminal([sys.executable, "-c", prompt], b"bob\n")
    assert (code, output.splitlines()[-1]) == (0, b"got bob"), output
    sleeper = "import time; print('ready', flush=True); time.sleep(60)"
    output, code = run_on_a_terminal([sys.executable, "-c", sleeper], b"\x03")
    assert code == 128 + signal.SIGINT and b"KeyboardInterrupt" in output, output


def test_a_data_directory_in_use_gives_one_line_saying_what_to_do(tmp_path):
    with EmbeddedServer(storage=tmp_path / "data"), pytest.raises(EmbeddedServerError) as excinfo:
        EmbeddedServer(storage=tmp_path / "data").start()
    message = str(excinfo.value)
    assert "\n" not in message and "in use by another SecantusDB" in message


def test_a_missing_secantusdb_gives_one_line_saying_what_to_do(monkeypatch, tmp_path):
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    monkeypatch.setenv("DEVDB_PYTHON", str(bare / "bin" / "python"))
    with pytest.raises(EmbeddedServerError) as excinfo:
        EmbeddedServer().start()
    message = str(excinfo.value)
    assert "\n" not in message and "SecantusDB is not installed" in message
    assert "make install" in message and "MONGODB_URI" in message


def test_a_second_command_shares_the_database_make_run_started(tmp_path):
    port = free_port()
    env = bare_env(DEVDB_PORT=str(port), PYTHONPATH=str(PROJECT_DIR))
    first = start_wrapper(tmp_path, env)
    try:
        assert "SecantusDB on" in first.stderr.readline()
        code = "import os; print(os.environ['MONGODB_URI'])"
        second = run_wrapper(tmp_path, env, sys.executable, "-c", code)
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == f"mongodb://{HOST}:{port}/"
        assert "already running" in second.stderr
        assert port_in_use(port), "the second command must not stop the first one's database"
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=20)
    assert not port_in_use(port)
    assert not (tmp_path / ".devdb" / "running").exists()


def test_a_stale_running_file_is_ignored(tmp_path):
    (tmp_path / ".devdb").mkdir()
    (tmp_path / ".devdb" / "running").write_text(f"999999999 {free_port()}\n")
    env = bare_env(DEVDB_PORT="0", PYTHONPATH=str(PROJECT_DIR))
    result = run_wrapper(tmp_path, env, "true")
    assert result.returncode == 0, result.stderr
    assert "SecantusDB on" in result.stderr and "already running" not in result.stderr


def test_manage_py_without_a_database_says_what_to_do_in_one_line(tmp_path):
    env = {
        **bare_env(),
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "AUTH_MFA_KEY": "k" * 8 + os.environ["DJANGO_SECRET_KEY"],  # no system-check warning
        "DJANGO_ENV_FILE": os.devnull,
        "MONGODB_URI": f"mongodb://{HOST}:{free_port()}/?serverSelectionTimeoutMS=300",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "make manage" in result.stderr and "MONGODB_URI" in result.stderr
