"""The generated project's own `make test` passes, on its embedded server and on MONGODB_URI.

On the embedded server it runs as a developer works: every email reworded in the project's
own templates and, on the default ORM, `make run` up beside it on its default ports (issue 26,
points 2 and 3). The ports are one pair per machine while the two ORMs' runs go side by side
on two workers, so one of them has `make run` up; the code that shares or refuses those ports
(`devdb/`) is the same file in both bakes.
"""

import contextlib
import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import (
    BAKEABLE_ORMS,
    EXTRAS_BY_ORM,
    clean_env,
    port_is_free,
    run,
    stop_group,
    tail,
    wait_for_health,
)

pytestmark = pytest.mark.slow

# One xdist group per ORM: its tests share one worker, and so one install of its venv.
ORMS = [
    pytest.param(orm, id=f"orm={orm}", marks=pytest.mark.xdist_group(orm)) for orm in BAKEABLE_ORMS
]


def node_runs_oidc_provider() -> bool:
    """node 20.19+ and npm on PATH: what the generated tests' oidc-provider needs."""
    if not (shutil.which("node") and shutil.which("npm")):
        return False
    script = (
        'const [a, b] = process.versions.node.split(".").map(Number);'
        "process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)"
    )
    return subprocess.run(["node", "-e", script], check=False).returncode == 0


# A word of each skip reason that only a missing tool excuses, and whether the tool is here.
REAL_PARTS = {
    "chromium": lambda: bool(shutil.which("chromium") and shutil.which("chromedriver")),
    "node": node_runs_oidc_provider,
    "npm": node_runs_oidc_provider,
}


def make_test(project, venv, **env):
    """Run the project's `make test` in the shared venv; return the completed process."""
    return run(
        ["make", "test", f"VENV={venv}", "PYTEST_ARGS=-p no:cacheprovider"], cwd=project, **env
    )


RUN_URL = "http://127.0.0.1:8000"  # `make run`'s default port; its database is on 27018
RUN_LINKS = "http://localhost:8000"  # the address `make run` puts in its emails' links
# Template syntax, HTML tags and entities: kept as they are. Everything between is wording.
NOT_WORDING = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|<[^>]*>|&[#a-zA-Z0-9]+;)", re.DOTALL)
CONTRACT_LINE = "This link will expire on"  # CONTRACT 4: the one sentence a project keeps


def reword(template: str) -> str:
    """Return ``template`` with every word of its own in capitals, its variables untouched."""
    parts = NOT_WORDING.split(template)
    text = "".join(part if i % 2 else part.upper() for i, part in enumerate(parts))
    return text.replace(CONTRACT_LINE.upper(), CONTRACT_LINE)


@contextlib.contextmanager
def project_emails_reworded(project: Path):
    """Override every email of ``accounts/`` in the project's templates/, as docs/mail.md says."""
    shipped = project / "accounts" / "mail" / "templates" / "accounts" / "email"
    override = project / "templates" / "accounts" / "email"
    override.mkdir(parents=True)
    try:
        for template in shipped.iterdir():
            reworded = reword(template.read_text(encoding="utf-8"))
            assert reworded != template.read_text(encoding="utf-8"), template.name
            (override / template.name).write_text(reworded, encoding="utf-8")
        yield sorted(path.name for path in override.iterdir())
    finally:
        for template in override.iterdir():
            template.unlink()
        override.rmdir()


@contextlib.contextmanager
def make_run(project: Path, venv: Path, log_path: Path):
    """`make run` on its default ports, as a developer leaves it up while the tests run."""
    taken = [port for port in (8000, 27018) if not port_is_free(port)]
    if taken:
        pytest.skip(f"port(s) {taken} taken on this machine: `make run` needs its defaults")
    log = log_path.open("w+", encoding="utf-8")
    process = subprocess.Popen(
        ["make", "run", f"VENV={venv}"],
        cwd=project,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, _ = wait_for_health(process, f"{RUN_URL}/api/health", timeout=180)
        assert status == 200
        yield log
    finally:
        stop_group(process)
        log.close()


def register_on(url: str, username: str) -> int:
    body = {
        "username": username,
        "email": f"{username}@example.org",
        "password": "tangerine-lighthouse-orbit-58",
    }
    request = urllib.request.Request(  # noqa: S310 - `make run` on loopback
        f"{url}/api/auth/register",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def wait_for_text(path: Path, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = path.read_text(encoding="utf-8")
        if text in seen:
            return seen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in {path} after {timeout} s:\n{seen[-3000:]}")


@pytest.mark.parametrize("orm", ORMS)
def test_make_test_passes_with_every_email_reworded_and_make_run_up(
    installed_project, orm, tmp_path
):
    project, venv = installed_project(orm)
    log_path = tmp_path / "make-run.log"
    with contextlib.ExitStack() as stack:
        overridden = stack.enter_context(project_emails_reworded(project))
        assert len(overridden) == 3 * 20  # subject, text and HTML of each of the twenty
        if orm == BAKEABLE_ORMS[0]:
            stack.enter_context(make_run(project, venv, log_path))
            # The server `make run` started mails the reworded verification (console backend).
            assert register_on(RUN_URL, "newcomer") == 201
            printed = wait_for_text(log_path, "X-Auth-Email: verify")
            assert "HELLO newcomer:" in printed and f"{RUN_LINKS}/verify?a=" in printed
        # The template's CI digs deeper with the fuzz and contract tests than a developer's
        # `make test` does.
        result = make_test(project, venv, HYPOTHESIS_PROFILE="thorough")
    assert result.returncode == 0, tail(result)
    assert "database: embedded SecantusDB at mongodb://127.0.0.1:" in result.stdout
    assert " passed" in result.stdout and " failed" not in result.stdout
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    if "drf" in EXTRAS_BY_ORM.get(orm, ""):  # the adapters' tests ran, not skipped
        assert not [line for line in skipped if "test_integrations" in line], skipped
    # Where this machine has Chromium and node (as .ci/run makes sure), the browser tests and
    # the social tests against the real provider ran: none skipped for want of them.
    excuses = [word for word, present in REAL_PARTS.items() if present()]
    assert not [line for line in skipped if any(word in line for word in excuses)], skipped


@pytest.mark.parametrize("orm", ORMS)
def test_make_test_passes_against_mongodb_uri(installed_project, external_mongodb, orm):
    project, venv = installed_project(orm)
    result = make_test(project, venv, MONGODB_URI=external_mongodb(orm))
    assert result.returncode == 0, tail(result)
    assert "database: MONGODB_URI from the environment" in result.stdout
    assert "embedded SecantusDB" not in result.stdout
    assert " passed" in result.stdout and " failed" not in result.stdout
