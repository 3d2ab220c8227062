"""``GET /``: a development index in DEBUG, the usual JSON 404 in production."""

import pytest


def test_in_production_the_root_is_a_json_404(client, settings):
    settings.DEBUG = False
    for method in ("get", "post"):
        response = getattr(client, method)("/")
        assert response.status_code == 404
        assert response.json() == {"error": "Not found.", "code": "not_found"}


@pytest.fixture
def page(client, settings):
    settings.DEBUG = True
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_in_debug_the_root_links_the_admin_health_and_pages(page, settings):
    for href in ("/admin/", "/api/health", "/verify", "/reset", "/email"):
        assert f'href="{href}"' in page
    assert settings.SITE_NAME in page


def test_the_docs_are_linked_only_when_the_project_serves_them(page):
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/docs")
        served = True
    except Resolver404:
        served = False
    assert ('href="/api/docs"' in page) is served


def test_the_api_pages_endpoint_table_is_shown(page):
    assert "<table>" in page and "<code>POST register</code>" in page
    assert "<code>GET me</code>" in page


def test_other_methods_in_debug_are_a_json_405(client, settings):
    settings.DEBUG = True
    response = client.post("/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
