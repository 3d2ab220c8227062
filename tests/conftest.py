"""Shared helpers: bake the template for real, run commands in a clean environment, share venvs."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
COOKIECUTTER_JSON = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8"))
DEFAULT_SLUG = "my_auth_api"

ORM_CHOICES = COOKIECUTTER_JSON["orm"]
# The generated Makefile's EXTRAS per ORM: the default variant installs DRF and django-ninja
# too, so its adapters' tests run instead of skipping. djongo's Django 3.1 stays on `dev`.
EXTRAS_BY_ORM = {"django-mongodb-backend": "dev,drf,ninja"}
# Every choice bakes; every bake and slow test runs for each.
BAKEABLE_ORMS = list(ORM_CHOICES)

# A complete answer set unlike the defaults, to see each answer land where it should.
CUSTOM_ANSWERS = {
    "project_name": "Acme Billing",
    "project_slug": "acme_billing",
    "site_name": "Acme Accounts",
    "domain_name": "api.acme-corp.test",
    "frontend_url": "https://app.acme-corp.test/portal/",
    "from_email": "accounts+noreply@acme-corp.test",
    "auth_token_ttl_hours": "12",
    "verify_link_ttl_hours": "48",
    "reset_link_ttl_minutes": "15",
    "orm": "django-mongodb-backend",
}

# Variables a developer's shell may hold that would change what a child process does:
# a generated project must see neither our database nor our make's command-line variables.
LEAKY_VARIABLE_PREFIXES = ("MONGODB_", "DJANGO_", "AUTH_", "DEVDB_", "EMAIL_", "PYTEST_", "MAKE")
LEAKY_VARIABLES = {
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "MFLAGS",
    "VENV",
    "PYTHON",
    "PY",
    "SITE_NAME",
    "DOMAIN_NAME",
    "FRONTEND_URL",
    "DEFAULT_FROM_EMAIL",
    "EXTRAS",
    "API_DOCS_ENABLED",
    "CORS_ALLOWED_ORIGINS",
    "DEMO_API_URL",
    "HYPOTHESIS_PROFILE",
}


def literal(value: str) -> str:
    """Wrap ``value`` so cookiecutter's rendering of given answers keeps it verbatim.

    Cookiecutter renders answers passed with ``--no-input`` as Jinja (an answer can
    refer to another); a user typing ``{{`` at the prompt is not rendered. This
    makes a given answer behave like a typed one.
    """
    return "{% raw %}" + value + "{% endraw %}"


def clean_env(**extra: str) -> dict[str, str]:
    """Return the environment minus variables that would leak into a child process."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(LEAKY_VARIABLE_PREFIXES) and key not in LEAKY_VARIABLES
    }
    env.update(extra)
    return env


def run(command: list[str], cwd: Path, timeout: float = 900, **env: str):
    """Run ``command`` in a clean environment; return the completed process, output captured."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def cookiecutter_cli(output_dir: Path, **answers: str):
    """Bake through cookiecutter's command line, as a user does."""
    return run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "--output-dir",
            str(output_dir),
            str(TEMPLATE_DIR),
            *(f"{key}={value}" for key, value in answers.items()),
        ],
        cwd=output_dir,
        timeout=120,
    )


def text_files(project: Path):
    """Yield (relative path, text) for every file of ``project`` that decodes as UTF-8."""
    for path in sorted(project.rglob("*")):
        if not path.is_file():
            continue
        try:
            yield path.relative_to(project).as_posix(), path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue


def free_port() -> int:
    """Ask the OS for a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until something accepts connections on ``port``, failing if ``process`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"process exited with {process.returncode} at start"
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_for_health(process: subprocess.Popen, url: str, timeout: float) -> tuple[int, dict]:
    """Poll a health endpoint until it answers; fail if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args} exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.status, json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise AssertionError(f"nothing answered on {url} within {timeout} s")


def stop_group(process: subprocess.Popen) -> None:
    """Ctrl-C the whole process group (a `make` target), as a developer would, then make sure."""
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


def tail(result: subprocess.CompletedProcess, lines: int = 60) -> str:
    """Return the last lines of a process's output, for assertion messages."""
    return "\n".join((result.stdout + result.stderr).splitlines()[-lines:])


@pytest.fixture
def bake(cookies):
    """Bake the template with the given answers through pytest-cookies; return the project."""

    def _bake(**answers: str) -> Path:
        result = cookies.bake(extra_context=answers, template=str(TEMPLATE_DIR))
        assert result.exception is None, f"bake failed: {result.exception!r}"
        assert result.exit_code == 0
        return result.project_path

    return _bake


@pytest.fixture(scope="session")
def baked_project(cookies_session):
    """Bake once per session per answer set (keyed by ORM or "custom"); return the project."""
    projects: dict[str, Path] = {}

    def _baked(key: str) -> Path:
        if key not in projects:
            answers = CUSTOM_ANSWERS if key == "custom" else {"orm": key}
            result = cookies_session.bake(extra_context=answers, template=str(TEMPLATE_DIR))
            assert result.exception is None, f"bake failed: {result.exception!r}"
            projects[key] = result.project_path
        return projects[key]

    return _baked


@pytest.fixture(scope="session")
def project_venv(tmp_path_factory):
    """Return the one virtualenv per ORM that every generated `make` of this run installs into."""
    venvs: dict[str, Path] = {}

    def _venv(orm: str) -> Path:
        if orm not in venvs:
            venvs[orm] = tmp_path_factory.mktemp(f"venv-{orm}") / "venv"
        return venvs[orm]

    return _venv


@pytest.fixture(scope="session")
def installed_project(baked_project, project_venv):
    """Bake the ORM's default project and `make install` it into the shared venv, once."""
    done: dict[str, tuple[Path, Path]] = {}

    def _installed(orm: str) -> tuple[Path, Path]:
        if orm not in done:
            project, venv = baked_project(orm), project_venv(orm)
            extras = EXTRAS_BY_ORM.get(orm, "dev")
            result = run(["make", "install", f"VENV={venv}", f"EXTRAS={extras}"], cwd=project)
            assert result.returncode == 0, tail(result)
            done[orm] = (project, venv)
        return done[orm]

    return _installed


@pytest.fixture
def external_mongodb(installed_project):
    """Start an in-memory SecantusDB on a free port, apart from the project; yield its URI.

    It is the stand-in for a mongod, so it runs through the project's launcher, which fixes
    the one place where SecantusDB behaves differently from mongod (see that file), from the
    environment that holds SecantusDB (the djongo variant keeps it in `.venv-devdb`).
    """
    started = []

    def _start(orm: str) -> str:
        project, venv = installed_project(orm)
        python = project / ".venv-devdb" / "bin" / "python"
        if not python.exists():
            python = venv / "bin" / "python"
        port = free_port()
        process = subprocess.Popen(
            [
                str(python),
                str(project / "devdb" / "secantus_compat.py"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--storage-path",
                ":memory:",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=clean_env(),
        )
        started.append(process)
        wait_for_port(port, process)
        return f"mongodb://127.0.0.1:{port}/"

    yield _start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def template_copy(tmp_path):
    """Copy the template (without local venvs, demos and caches) to a scratch directory."""
    target = tmp_path / "template"
    anywhere = shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".bakes"
    )

    def ignore(directory: str, names: list[str]) -> set[str]:
        # `make demo`'s output is the template's top-level demo/; accounts/demo/ is the app's.
        top_level = {"demo"} if Path(directory) == TEMPLATE_DIR else set()
        return set(anywhere(directory, names)) | (top_level & set(names))

    shutil.copytree(TEMPLATE_DIR, target, ignore=ignore)
    assert (target / PROJECT_TEMPLATE.name / "accounts" / "demo").is_dir()
    return target
