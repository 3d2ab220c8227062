"""`make demo`, the template README's first command: bake the defaults and serve them."""

import subprocess
import sys

import pytest

from tests.conftest import (
    BAKEABLE_ORMS,
    DEFAULT_SLUG,
    clean_env,
    port_is_free,
    stop_group,
    wait_for_health,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(BAKEABLE_ORMS[0])]

HEALTH_URL = "http://127.0.0.1:8000/api/health"


def test_make_demo_bakes_the_defaults_into_demo_and_serves_them(
    template_copy, installed_project, tmp_path
):
    if not port_is_free(8000):
        pytest.skip("port 8000 is taken on this machine (another `make run`?)")
    _, venv = installed_project(BAKEABLE_ORMS[0])
    log = (tmp_path / "demo.log").open("w+")
    process = subprocess.Popen(
        # -o install: the running interpreter already has cookiecutter, so skip the root
        # venv; the demo project installs into the venv this run shares between bakes.
        ["make", "-o", "install", "demo", f"VENV={sys.prefix}", f"DEMO_VENV={venv}"],
        cwd=template_copy,
        env=clean_env(DEVDB_PORT="0"),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, body = wait_for_health(process, HEALTH_URL, timeout=180)
    except AssertionError as failure:
        log.seek(0)
        raise AssertionError(f"{failure}\n{log.read()[-3000:]}") from None
    finally:
        stop_group(process)
        log.seek(0)
        output = log.read()
        log.close()
    assert (status, body["database"]) == (200, "ok"), output
    demo = template_copy / "demo" / DEFAULT_SLUG
    assert f"baked {demo}" in output
    assert (demo / ".env").is_file() and (demo / ".devdb").is_dir()
    assert "devdb: SecantusDB stopped." in output
