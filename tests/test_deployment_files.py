"""Compose, Dockerfile and CI cannot run here: parse them, check they agree with the Makefile."""

import json
import re
import shlex

import pytest
import yaml

from tests.conftest import BAKEABLE_ORMS, CUSTOM_ANSWERS


@pytest.fixture
def project(baked_project):
    """The bake with custom answers, so baked values are told apart from the defaults."""
    return baked_project("custom")


def makefile_targets(project) -> set[str]:
    """Return the targets the project's Makefile defines."""
    text = (project / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.MULTILINE))


def command_words(command) -> list[str]:
    """Return a compose or Dockerfile command (a list or a shell string) as words."""
    return list(command) if isinstance(command, list) else shlex.split(command)


def test_compose_serves_the_app_under_gunicorn_against_mongo_8(project):
    compose = yaml.safe_load((project / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]

    mongo = services["mongo"]
    assert mongo["image"] == "mongo:8"
    volume = mongo["volumes"][0].split(":")
    assert volume[1] == "/data/db" and volume[0] in compose["volumes"]
    assert "mongosh" in mongo["healthcheck"]["test"]

    app = services["app"]
    assert command_words(app["command"])[:2] == ["gunicorn", "config.wsgi"]
    assert app["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert command_words(services["migrate"]["command"])[-2:] == ["migrate", "--noinput"]

    env = app["environment"]
    assert env == services["migrate"]["environment"]
    assert env["MONGODB_URI"] == f"mongodb://mongo:27017/{CUSTOM_ANSWERS['project_slug']}"
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert CUSTOM_ANSWERS["domain_name"] in env["DJANGO_ALLOWED_HOSTS"].split(",")
    assert env["DJANGO_SECURE_SSL_REDIRECT"] == "0"
    # Published on the loopback interface only: a smoke test, not an open port.
    assert app["ports"] == ["127.0.0.1:8000:8000"]


def test_the_dockerfile_builds_a_production_image_without_the_dev_extra(project):
    lines = [
        line.strip()
        for line in (project / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines[0] == "FROM python:3.11-slim"
    installs = [line for line in lines if line.startswith("RUN pip install")]
    # The runtime lock, not the dev one: SecantusDB (GPL-2.0, dev extra) stays out.
    assert installs == ["RUN pip install --require-hashes --no-deps -r requirements/prod.lock"]
    assert "COPY requirements/prod.lock requirements/" in lines
    prod_lock = (project / "requirements" / "prod.lock").read_text(encoding="utf-8").lower()
    assert "gunicorn==" in prod_lock and "secantusdb" not in prod_lock and "pytest" not in prod_lock
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    cmd = next(line for line in lines if line.startswith("CMD "))
    assert json.loads(cmd.removeprefix("CMD "))[:2] == ["gunicorn", "config.wsgi"]


def test_the_docker_context_leaves_secrets_and_local_data_out(project):
    ignored = (project / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for entry in [".env", ".venv", ".devdb", ".git"]:
        assert entry in ignored


def test_ci_runs_make_test_against_a_mongo_8_service_through_mongodb_uri(project):
    workflow = yaml.safe_load(
        (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    )
    # YAML 1.1 reads the key `on` as True.
    assert "pull_request" in workflow.get("on", workflow.get(True))
    (job,) = workflow["jobs"].values()
    assert job["services"]["mongo"]["image"] == "mongo:8"
    assert "27017:27017" in job["services"]["mongo"]["ports"]
    assert job["env"]["MONGODB_URI"] == "mongodb://127.0.0.1:27017/"
    python = next(step for step in job["steps"] if "setup-python" in step.get("uses", ""))
    assert python["with"]["python-version"] == "3.11"

    commands = [step["run"] for step in job["steps"] if "run" in step]
    assert "make test" in commands
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "make" and set(words[1:]) <= makefile_targets(project), command


@pytest.mark.parametrize("orm", BAKEABLE_ORMS, ids=lambda orm: f"orm={orm}")
def test_ci_holds_no_baked_value_and_no_template_syntax(baked_project, orm):
    """ci.yml is copied without rendering; it must need no answer to be right."""
    text = (baked_project(orm) / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "cookiecutter" not in text and "{{" not in text and "{%" not in text
