"""The relying party's settings, and the check that says when passkeys cannot work (W201)."""

import io

from django.core.management import call_command

from accounts.checks import passkey_origin_check
from accounts.mfa.passkeys import relying_party


def test_the_rp_id_defaults_to_the_domain_name(settings):
    settings.AUTH_WEBAUTHN_RP_ID = ""
    settings.DOMAIN_NAME = "accounts.example.net"
    assert relying_party.rp_id() == "accounts.example.net"


def test_the_origins_are_the_front_ends_and_the_listed_ones(settings):
    settings.FRONTEND_URL = "https://App.Example.com:8443/some/path/"
    settings.AUTH_WEBAUTHN_ORIGINS = ["android:apk-key-hash:Ab-_9", "https://app.example.com:8443"]
    assert relying_party.origins() == ["https://app.example.com:8443", "android:apk-key-hash:Ab-_9"]


def test_no_warning_for_the_domain_its_subdomains_apps_and_localhost(settings):
    settings.FRONTEND_URL = "https://example.com"
    settings.AUTH_WEBAUTHN_ORIGINS = [
        "https://login.eu.example.com",
        "android:apk-key-hash:Ab-_9",
        "http://127.0.0.1:8000",  # development: browsers offer nothing there anyway
    ]
    assert passkey_origin_check() == []


def test_check_warns_about_an_origin_off_the_rp_id(settings):
    settings.FRONTEND_URL = "https://notexample.com"  # a suffix of the text, not a subdomain
    settings.AUTH_WEBAUTHN_ORIGINS = ["https://app.example.org"]
    (first, second) = passkey_origin_check()
    assert (first.id, second.id) == ("accounts.W201", "accounts.W201")
    assert "https://notexample.com is not on the relying party id 'example.com'" in first.msg
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "accounts.W201" in out.getvalue() and "AUTH_WEBAUTHN_RP_ID" in out.getvalue()
