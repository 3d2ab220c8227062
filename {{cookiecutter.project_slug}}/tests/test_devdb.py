"""The embedded server: real SecantusDB processes, clear one-line failures."""

import os
import signal
import socket
import subprocess
import sys

import pymongo
import pytest

from devdb.server import HOST, EmbeddedServer, EmbeddedServerError, free_port, port_in_use
from tests.conftest import PROJECT_DIR


def bare_env(**extra: str) -> dict:
    """A minimal environment for a child process, keeping where SecantusDB lives."""
    env = {"PATH": "/usr/bin:/bin", **extra}
    if os.environ.get("DEVDB_PYTHON"):
        env["DEVDB_PYTHON"] = os.environ["DEVDB_PYTHON"]
    return env


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


def test_make_run_wrapper_reports_a_taken_port_without_a_traceback():
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = bare_env(DEVDB_PORT=str(port))
        result = subprocess.run(
            [sys.executable, "-m", "devdb", "run", "--", "true"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
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
    result = subprocess.run(
        [sys.executable, "-m", "devdb", "run", "--", sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1.0"
    assert (tmp_path / ".devdb" / "data").is_dir()


def test_the_wrapper_stays_out_of_the_way_when_mongodb_uri_is_set(tmp_path):
    env = bare_env(MONGODB_URI="mongodb://elsewhere.invalid/x", PYTHONPATH=str(PROJECT_DIR))
    code = "import os; print(os.environ['MONGODB_URI'])"
    result = subprocess.run(
        [sys.executable, "-m", "devdb", "run", "--", sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "mongodb://elsewhere.invalid/x"
    assert not (tmp_path / ".devdb").exists()


def test_add_fields_merges_into_an_embedded_document_as_mongod_does():
    # The SecantusDB bug worked around in devdb/secantus_compat.py; a real mongod passes too.
    with EmbeddedServer() as server:
        client = pymongo.MongoClient(server.uri, serverSelectionTimeoutMS=5000)
        client.scratch.c.insert_one({"_id": 1, "specs": {"doors": 4}})
        (doc,) = client.scratch.c.aggregate([{"$addFields": {"specs": {"fuel": "unleaded"}}}])
        client.close()
    assert doc == {"_id": 1, "specs": {"doors": 4, "fuel": "unleaded"}}


def test_killing_the_make_run_wrapper_stops_the_database_too(tmp_path):
    port = free_port()
    env = bare_env(DEVDB_PORT=str(port), PYTHONPATH=str(PROJECT_DIR))
    wrapper = subprocess.Popen(
        [sys.executable, "-m", "devdb", "run", "--", "sleep", "60"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert "SecantusDB on" in wrapper.stderr.readline()
    assert port_in_use(port)
    wrapper.send_signal(signal.SIGTERM)
    wrapper.wait(timeout=20)
    assert "SecantusDB stopped" in wrapper.stderr.read()
    assert not port_in_use(port)


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
    first = subprocess.Popen(
        [sys.executable, "-m", "devdb", "run", "--", "sleep", "60"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "SecantusDB on" in first.stderr.readline()
        code = "import os; print(os.environ['MONGODB_URI'])"
        second = subprocess.run(
            [sys.executable, "-m", "devdb", "run", "--", sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
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
    result = subprocess.run(
        [sys.executable, "-m", "devdb", "run", "--", "true"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
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
