"""The OpenAPI document and the docs page: valid, complete, served only when enabled (SEC-34).

``tests/test_contract.py`` checks the running server against the document; this file checks
the document itself and that no URL under ``/api/`` escapes it.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from accounts.docs import document as openapi

# Under /api/ but not part of the API it describes: the description and its page.
NOT_DESCRIBED = {"/api/openapi.json", "/api/docs", "/api/docs/{name}"}
WRONG_METHODS = ["DELETE", "PATCH", "PUT", "POST", "GET"]


def routes(patterns=None, prefix=""):
    """Yield every URL of the project as an OpenAPI path: ``/api/auth/me``, ``/x/{id}``."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        part = str(entry.pattern)
        part = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", part)  # path("<str:name>") -> {name}
        part = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", part)  # re_path's named groups
        part = part.replace("^", "").replace("/?$", "").replace("$", "").replace("\\.", ".")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part


def api_routes() -> set[str]:
    return {route.rstrip("/") for route in routes() if route.startswith("/api/")}


def test_the_document_is_valid_openapi_3_1():
    document = openapi.document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_url_under_api_is_described():
    described = set(openapi.document()["paths"])
    missing = api_routes() - described - NOT_DESCRIBED
    hint = "describe them in config/openapi.py (docs/writing-endpoints.md)"
    assert not missing, f"{hint}: {sorted(missing)}"


def test_every_described_path_is_routed():
    assert set(openapi.document()["paths"]) <= api_routes()


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(openapi.document()["paths"]))
def test_sec34_every_api_path_answers_another_method_with_a_json_405_and_allow(path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # a browser-less client: no CSRF cookie either
    allowed = [method.upper() for method in openapi.document()["paths"][path]]
    url = re.sub(r"\{\w+\}", "x", path)
    for method in (m for m in WRONG_METHODS if m not in allowed):
        response = client.generic(method, url, b"{}", content_type="application/json")
        assert response.status_code == 405, (method, path, response.content)
        assert response.json()["code"] == "method_not_allowed"
        assert sorted(response["Allow"].split(", ")) == sorted(allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_sec34_health_answers_other_methods_with_405_not_a_csrf_403(method):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).generic(method, "/api/health")
    assert (response.status_code, response["Allow"]) == (405, "GET")
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_the_document_and_the_page_are_served_when_enabled(client, settings):
    settings.API_DOCS_ENABLED = True
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi.document()
    page = client.get("/api/docs")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert b"swagger-ui-bundle.js" in page.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/openapi.json", "/api/docs", "/api/docs/", "/api/docs/swagger-ui-bundle.js"]
)
def test_docs_are_a_json_404_when_disabled(client, settings, path):
    settings.API_DOCS_ENABLED = False
    response = client.get(path)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.django_db
def test_the_page_loads_nothing_from_elsewhere_under_a_strict_csp(client, settings):
    settings.API_DOCS_ENABLED = True
    page = client.get("/api/docs")
    csp = dict(
        directive.strip().split(" ", 1) for directive in page["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == csp["style-src"] == csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    sources = re.findall(rb'(?:src|href)="([^"]+)"', page.content)
    assert sources and all(source.startswith(b"/") for source in sources), sources
    for source in sources:
        asset = client.get(source.decode())
        assert asset.status_code == 200, source
        assert asset["Content-Type"].split(";")[0] in {"text/javascript", "text/css", "image/png"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../settings.py", "swagger-ui.css.map", "oauth2-redirect.html"])
def test_only_the_listed_assets_are_served(client, settings, name):
    settings.API_DOCS_ENABLED = True
    assert client.get(f"/api/docs/{name}").status_code == 404


def test_every_error_answer_names_its_codes():
    """Each 4xx/5xx answer lists the ``code`` values a client can branch on."""
    document = openapi.document()
    shared = document["components"]["responses"]
    for path, methods in document["paths"].items():
        for method, declared in methods.items():
            for status, response in declared["responses"].items():
                if int(status) < 400 or path == "/api/health":
                    continue
                if "$ref" in response:
                    response = shared[response["$ref"].rsplit("/", 1)[1]]
                schema = response["content"]["application/json"]["schema"]
                codes = schema["allOf"][1]["properties"]["code"]["enum"]
                assert codes, (method, path, status)


def test_the_shared_answers_carry_their_headers():
    responses = openapi.document()["components"]["responses"]
    assert set(responses["Unauthorized"]["headers"]) == {"WWW-Authenticate"}
    assert set(responses["MethodNotAllowed"]["headers"]) == {"Allow"}
    assert set(responses["Throttled"]["headers"]) == {"Retry-After"}


def test_password_limits_follow_the_settings(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 20},
        }
    ]
    body = openapi.document()["paths"]["/api/auth/register"]["post"]["requestBody"]
    password = body["content"]["application/json"]["schema"]["properties"]["password"]
    assert (password["minLength"], password["maxLength"]) == (20, 1024)


def test_an_operation_gets_the_shared_answers_it_can_meet():
    from accounts.openapi.builders import TOKEN, answer, json_object, operation, string

    declared = operation(
        "Add a note",
        operation_id="add_note",
        tag="notes",
        security=TOKEN,
        body=json_object({"text": string(minLength=1)}),
        answers={201: answer("The note.")},
        bad_request=("missing_field",),
        errors={404: ("not_found",)},
        throttled=True,
    )
    assert list(declared["responses"]) == ["201", "400", "401", "404", "413", "415", "429", "503"]
    not_found = declared["responses"]["404"]["content"]["application/json"]["schema"]
    assert not_found["allOf"][1]["properties"]["code"]["enum"] == ["not_found"]
    bad = declared["responses"]["400"]["content"]["application/json"]["schema"]
    assert "missing_field" in bad["allOf"][1]["properties"]["code"]["enum"]
