"""Static files in production: collected once, served by WhiteNoise under gunicorn, DEBUG off."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR, database_uri_for_subprocesses, http_get

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Run `collectstatic` as the image build does, into a scratch STATIC_ROOT.

    Once for the module: both tests only read what it wrote (a Django process, ~1 s, saved).
    """
    root = tmp_path_factory.mktemp("static") / "staticfiles"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_STATIC_ROOT": str(root),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root


def test_gunicorn_serves_the_admin_css_with_debug_off(app_process, static_root):
    app = app_process(
        database_uri_for_subprocesses(), DJANGO_DEBUG="0", DJANGO_STATIC_ROOT=str(static_root)
    )
    status, body, headers = http_get(app.url + "/static/admin/css/base.css")
    assert status == 200, body[:200]
    assert headers["Content-Type"].startswith("text/css") and b"body" in body

    # The admin's pages link the hashed name, which is cached for good.
    status, page, _ = http_get(app.url + "/admin/login/")
    assert status == 200
    hashed = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page)
    assert hashed, page[:500]
    status, body, headers = http_get(app.url + hashed.group(1).decode())
    assert status == 200 and b"body" in body
    assert (
        "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    )


def test_collectstatic_compresses_for_clients_that_accept_it(static_root):
    assert (static_root / "admin" / "css" / "base.css.gz").is_file()
    assert (static_root / "staticfiles.json").is_file()
