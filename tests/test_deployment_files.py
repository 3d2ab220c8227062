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


def load_compose(project) -> dict:
    return yaml.safe_load((project / "docker-compose.yml").read_text(encoding="utf-8"))


def dockerfile_lines(project) -> list[str]:
    """Return the Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (project / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_compose_serves_the_app_under_gunicorn_against_mongo_8(project):
    compose = load_compose(project)
    services = compose["services"]

    mongo = services["mongo"]
    assert mongo["image"] == "mongo:8"
    volume = mongo["volumes"][0].split(":")
    assert volume[1] == "/data/db" and volume[0] in compose["volumes"]
    assert "mongosh" in mongo["healthcheck"]["test"]

    app = services["app"]
    assert command_words(app["command"])[:2] == ["gunicorn", "config.wsgi"]
    assert app["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert app["depends_on"]["mongo"]["required"] is False  # none to wait for on Atlas
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert command_words(services["migrate"]["command"])[-2:] == ["migrate", "--noinput"]
    # Published on the loopback interface only: the TLS proxy in front is the public side.
    assert app["ports"] == ["127.0.0.1:8000:8000"]


def test_compose_restarts_the_long_running_services(project):
    services = load_compose(project)["services"]
    for name in ("app", "mongo"):
        assert services[name]["restart"] == "unless-stopped", name
    assert services["migrate"]["restart"] == "no", "a one-shot release step"


def test_compose_gives_secrets_as_files_and_the_rest_from_an_env_file_outside_the_image(project):
    compose = load_compose(project)
    services = compose["services"]
    app, migrate, mongo = services["app"], services["migrate"], services["mongo"]
    assert app["environment"] == migrate["environment"]
    assert app["env_file"] == migrate["env_file"] == ".env.production"
    env = app["environment"]
    assert env["DJANGO_SECRET_KEY_FILE"] == "/run/secrets/django_secret_key"  # noqa: S105
    assert env["MONGODB_URI_FILE"] == "/run/secrets/mongodb_uri"
    assert env["AUTH_MFA_KEY_FILE"] == "/run/secrets/auth_mfa_key"
    # No secret, no console mail backend and no switched-off safety in the compose file itself.
    assert not {"DJANGO_SECRET_KEY", "MONGODB_URI", "AUTH_MFA_KEY", "EMAIL_BACKEND"} & set(env)
    assert "DJANGO_SECURE_SSL_REDIRECT" not in env and "DJANGO_DEBUG" not in env
    assert set(app["secrets"]) == {"django_secret_key", "mongodb_uri", "auth_mfa_key"}
    password_file = mongo["environment"]["MONGO_INITDB_ROOT_PASSWORD_FILE"]
    assert password_file == "/run/secrets/mongo_root_password"  # noqa: S105
    # The secret files are the ones `make secrets` writes, in a directory kept out of git and
    # of the image; so is the env file.
    from importlib import util

    spec = util.spec_from_file_location("deploy_secrets", project / "config" / "deploy_secrets.py")
    deploy_secrets = util.module_from_spec(spec)
    spec.loader.exec_module(deploy_secrets)
    files = {name: entry["file"] for name, entry in compose["secrets"].items()}
    assert files == {name: f"./secrets/{name}" for name in deploy_secrets.wanted("x")}
    assert "secrets" in makefile_targets(project)
    ignored = (project / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "secrets" in ignored and ".env.*" in ignored
    git_ignored = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "secrets/" in git_ignored and ".env.*" in git_ignored


def test_the_env_example_sets_real_mail_and_no_placeholder_secret(project):
    lines = (project / ".env.example").read_text(encoding="utf-8").splitlines()
    settings = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert not {"DJANGO_SECRET_KEY", "MONGODB_URI", "AUTH_MFA_KEY"} & set(settings)
    assert "EMAIL_BACKEND" not in settings and {"EMAIL_HOST", "EMAIL_PORT"} <= set(settings)
    assert settings["DJANGO_ALLOWED_HOSTS"] == CUSTOM_ANSWERS["domain_name"]


def test_the_mail_catcher_runs_only_in_the_dev_profile(project):
    services = load_compose(project)["services"]
    catchers = [name for name, service in services.items() if "mailpit" in service.get("image", "")]
    assert catchers == ["mailpit"]
    assert services["mailpit"]["profiles"] == ["dev"]
    assert all("profiles" not in services[name] for name in ("app", "migrate"))


def test_the_bundled_mongodb_is_a_profile_atlas_deployments_leave_out(project):
    """`docker compose up` without the profile starts no database and waits for none."""
    services = load_compose(project)["services"]
    assert services["mongo"]["profiles"] == ["mongo"]
    for name in ("app", "migrate", "mail-worker"):
        assert services[name]["depends_on"]["mongo"] == {
            "condition": "service_healthy",
            "required": False,
        }, name


def test_the_app_connects_to_the_bundled_mongodb_as_a_least_privilege_user(project):
    """The init script makes `app` with readWrite on the project's database, from a secret."""
    compose = load_compose(project)
    mongo = compose["services"]["mongo"]
    assert mongo["environment"]["APP_DATABASE"] == CUSTOM_ANSWERS["project_slug"]
    assert "mongo_app_password" in mongo["secrets"]
    assert compose["secrets"]["mongo_app_password"]["file"] == "./secrets/mongo_app_password"
    (mount,) = [v for v in mongo["volumes"] if "docker-entrypoint-initdb.d" in v]
    script = project / mount.split(":")[0]
    text = script.read_text(encoding="utf-8")
    assert "/run/secrets/mongo_app_password" in text and "process.env.APP_DATABASE" in text
    assert re.findall(r"role: \"(\w+)\"", text) == ["readWrite"]  # one role, on one database
    assert '{ role: "readWrite", db: database }' in text
    assert "mongo_app_password" not in compose["services"]["app"]["secrets"]


def test_compose_and_ci_probe_health_through_the_images_own_check(project):
    """One health check: the Dockerfile's HEALTHCHECK, run by compose and by CI."""
    (healthcheck,) = [line for line in dockerfile_lines(project) if line.startswith("HEALTHCHECK")]
    image_probe = json.loads(healthcheck.partition(" CMD ")[2])
    assert image_probe == ["python", "-m", "config.healthcheck"]
    compose_probe = load_compose(project)["services"]["app"]["healthcheck"]["test"]
    assert compose_probe == ["CMD", *image_probe]
    assert (project / "config" / "healthcheck.py").is_file()


def test_the_dockerfile_builds_a_production_image_without_the_dev_extra(project):
    lines = dockerfile_lines(project)
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


def test_the_image_collects_static_files_at_build_for_whitenoise(project):
    lines = dockerfile_lines(project)
    collect = [index for index, line in enumerate(lines) if "collectstatic --noinput" in line]
    copy = lines.index("COPY . .")
    user = next(index for index, line in enumerate(lines) if line.startswith("USER "))
    assert len(collect) == 1 and copy < collect[0] < user
    assert "secrets.token_urlsafe(50)" in lines[collect[0]], "a throwaway key, in no layer"
    assert not any(
        line.startswith(("ENV DJANGO_SECRET_KEY", "ARG DJANGO_SECRET_KEY")) for line in lines
    )
    settings = (project / "config" / "settings.py").read_text(encoding="utf-8")
    assert '"whitenoise.middleware.WhiteNoiseMiddleware"' in settings
    assert "whitenoise" in (project / "pyproject.toml").read_text(encoding="utf-8")


def test_the_docker_context_leaves_secrets_and_local_data_out(project):
    ignored = (project / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for entry in [".env", ".venv", ".devdb", ".git", "secrets"]:
        assert entry in ignored


def test_ci_runs_make_test_against_a_mongo_8_service_through_mongodb_uri(project):
    workflow = yaml.safe_load(
        (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    )
    # YAML 1.1 reads the key `on` as True.
    assert "pull_request" in workflow.get("on", workflow.get(True))
    job = workflow["jobs"]["test"]
    assert job["services"]["mongo"]["image"] == "mongo:8"
    assert "27017:27017" in job["services"]["mongo"]["ports"]
    assert job["env"]["MONGODB_URI"] == "mongodb://127.0.0.1:27017/"
    python = next(step for step in job["steps"] if "setup-python" in step.get("uses", ""))
    assert python["with"]["python-version"] == "3.11"

    commands = [step["run"] for step in job["steps"] if "run" in step]
    assert "make test" in commands and "make lint" in commands
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "make" and set(words[1:]) <= makefile_targets(project), command
    lint = (
        (project / "Makefile").read_text(encoding="utf-8").split("\nlint:", 1)[1].split("\n\n")[0]
    )
    assert "hadolint Dockerfile" in lint


def test_ci_builds_the_image_and_probes_it_against_mongo_8(project):
    workflow = yaml.safe_load(
        (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    )
    job = workflow["jobs"]["image"]
    assert job["services"]["mongo"]["image"] == "mongo:8"
    script = "\n".join(step["run"] for step in job["steps"] if "run" in step)
    assert "docker build --tag app:ci ." in script
    assert "python manage.py migrate --noinput" in script
    assert '["State"]["Health"]["Status"]' in script, "waits on the image's own HEALTHCHECK"
    assert "docker exec app python -m config.healthcheck" in script
    assert "docker exec app python manage.py check --deploy" in script
    # Production settings: a real host name, no HTTPS redirect turned off, no console mail.
    assert job["env"]["DJANGO_ALLOWED_HOSTS"] == "api.example.com"
    assert "SSL_REDIRECT" not in script and "console" not in script


@pytest.mark.parametrize("orm", BAKEABLE_ORMS, ids=lambda orm: f"orm={orm}")
def test_ci_holds_no_baked_value_and_no_template_syntax(baked_project, orm):
    """ci.yml is copied without rendering; it must need no answer to be right."""
    text = (baked_project(orm) / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "cookiecutter" not in text and "{{" not in text and "{%" not in text


def test_compose_offers_a_mail_worker_that_sends_the_outbox_outside_the_app(project):
    compose = yaml.safe_load((project / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    worker = services["mail-worker"]
    assert command_words(worker["command"])[-2:] == ["manage.py", "send_mail_worker"]
    assert worker["profiles"] == ["mail-worker"], "opt-in: the app's threads send by default"
    env = dict(worker["environment"])
    assert env.pop("AUTH_MAIL_DELIVERY") == "worker"
    assert env == services["app"]["environment"]
    assert worker["secrets"] == services["app"]["secrets"]  # the same keys open the queued mail
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
