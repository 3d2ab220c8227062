"""The /verify, /reset and /email pages that email links open."""

import pytest


@pytest.mark.parametrize("path", ["/verify", "/reset", "/email", "/verify/", "/reset/", "/email/"])
def test_pages_render_without_leaking_the_token(client, path):
    response = client.get(f"{path}?a=secret-link-token-value")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "secret-link-token-value" not in response.content.decode()  # never echoed (SEC-20)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_reset_page_asks_for_the_new_password_twice(client):
    html = client.get("/reset?a=x").content.decode()
    assert 'id="new-password"' in html and 'id="confirm-password"' in html


@pytest.mark.parametrize("minimum", [15, 20])
def test_the_reset_page_states_the_minimum_length_before_the_form_is_sent(
    client, settings, minimum
):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": minimum},
        }
    ]
    html = client.get("/reset?a=x").content.decode()
    assert f"At least {minimum} characters" in html
    assert html.count(f'minlength="{minimum}"') == 2  # the browser says so too, before sending


def test_the_page_script_drops_the_token_from_the_address_bar_before_use(client):
    script = client.get("/pages/auth.js").content.decode()
    assert script.index("history.replaceState") < script.index("fetch(")
    assert '"/api/auth/verify"' in script and '"/api/auth/reset"' in script
    assert '"/api/auth/email"' in script
    assert "result.data.error" in script or "data.error" in script  # shows the API's message


def test_pages_name_the_site(client, settings):
    settings.SITE_NAME = "Acme Widgets"
    assert "Acme Widgets" in client.get("/verify").content.decode()


def test_pages_refuse_other_methods(client):
    assert client.post("/verify").status_code == 405
