"""The project's own API routes: a missing trailing slash is served, never redirected."""

import json

import pytest

pytestmark = [pytest.mark.urls("tests.api_urls"), pytest.mark.django_db]


@pytest.mark.parametrize("debug", [False, True])
def test_a_post_without_the_trailing_slash_reaches_the_view_with_its_body(
    client, token, settings, debug
):
    settings.DEBUG = debug  # in DEBUG, Django's own redirect is a RuntimeError (a 500)
    response = client.post(
        "/api/echo",
        json.dumps({"text": "kept"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "kept"


def test_an_unknown_api_path_stays_a_json_404(client):
    response = client.post("/api/nowhere", "{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_paths_outside_the_api_keep_djangos_redirect(client, settings):
    settings.ROOT_URLCONF = "config.urls"
    response = client.get("/admin")
    assert response.status_code == 301 and response["Location"] == "/admin/"
