"""Email contents: parts, sender, subject, links from settings, expiry wording (CONTRACT 4)."""

import re
from datetime import timedelta

import pytest

from tests.conftest import link_token_from


@pytest.fixture
def verify_email(api, token, mailoutbox, settings, clock):
    settings.SITE_NAME = "Acme Widgets"
    settings.FRONTEND_URL = "https://app.acme.test"
    settings.DEFAULT_FROM_EMAIL = "hello@acme.test"
    settings.AUTH_VERIFY_LINK_TTL = 3600
    api.post("verify", token=token)
    return mailoutbox[-1]


def test_emails_have_text_and_html_parts_from_the_configured_sender(verify_email):
    assert verify_email.from_email == "hello@acme.test"
    ((html, mimetype),) = verify_email.alternatives
    assert mimetype == "text/html" and '<a href="https://app.acme.test/verify?a=' in html


def test_subject_names_the_site(verify_email):
    assert "Acme Widgets" in verify_email.subject


def assert_link_email(message, kind: str, frontend: str, expires_at) -> None:
    """Check what CONTRACT section 4 promises of a link email, not its wording.

    Both parts carry the link and the expiry line, so a project that rewrites the
    templates in its own words keeps these tests green as long as it keeps the contract.
    """
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    expiry = f"This link will expire on {expires_at:%Y-%m-%d %H:%M:%S} UTC"
    link = re.compile(re.escape(f"{frontend}/{kind}?a=") + "[A-Za-z0-9_-]+")
    for part in (message.body, html):
        assert link.search(part), part
        assert expiry in part, part
    url = link.search(message.body).group()
    assert link.search(html).group() == url and len(url.rpartition("=")[2]) >= 43


def test_the_verify_email_has_the_link_and_the_expiry_in_both_parts(verify_email, clock):
    expires_at = clock.now() + timedelta(seconds=3600)
    assert_link_email(verify_email, "verify", "https://app.acme.test", expires_at)


def test_the_reset_email_has_the_link_and_the_expiry_in_both_parts(
    api, user, mailoutbox, settings, clock
):
    settings.FRONTEND_URL = "https://app.acme.test"
    settings.AUTH_RESET_LINK_TTL = 1800
    api.post("reset", {"email": "alice@example.org"})
    expires_at = clock.now() + timedelta(seconds=1800)
    assert_link_email(mailoutbox[-1], "reset", "https://app.acme.test", expires_at)


def test_reworded_templates_pass_as_long_as_they_keep_the_contract(
    api, user, mailoutbox, settings, clock, tmp_path
):
    # What a project does first: its own words, in templates/accounts/email/ (.txt and .html).
    link, expires = "{" * 2 + " link }}", "{" * 2 + " expires }}"
    override = tmp_path / "accounts" / "email"
    override.mkdir(parents=True)
    (override / "reset_body.txt").write_text(f"Hi! {link}\nThis link will expire on {expires}\n")
    (override / "reset_body.html").write_text(
        f'<p>Hi! <a href="{link}">{link}</a><br>This link will expire on {expires}</p>'
    )
    template_dirs = [str(tmp_path), *settings.TEMPLATES[0]["DIRS"]]  # the project's first
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": template_dirs}]
    settings.FRONTEND_URL = "https://app.acme.test"
    api.post("reset", {"email": "alice@example.org"})
    assert mailoutbox[-1].body.startswith("Hi! https://app.acme.test/reset?a=")
    expires_at = clock.now() + timedelta(seconds=settings.AUTH_RESET_LINK_TTL)
    assert_link_email(mailoutbox[-1], "reset", "https://app.acme.test", expires_at)


def test_sec19_links_are_built_from_settings_never_the_host_header(
    api, token, mailoutbox, settings
):
    settings.FRONTEND_URL = "https://app.acme.test"
    settings.ALLOWED_HOSTS = ["*"]
    api.post("verify", token=token, HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")
    api.post("reset", {"email": "alice@example.org"}, HTTP_HOST="evil.example")
    for message in mailoutbox:
        assert "evil.example" not in message.body
        assert re.search(r"https://app\.acme\.test/(verify|reset)\?a=", message.body)


def test_link_tokens_in_emails_are_long_and_distinct(api, user, mailoutbox):
    api.post("reset", {"email": "alice@example.org"})
    api.post("reset", {"email": "alice@example.org"})
    first, second = (link_token_from(m) for m in mailoutbox)
    assert first != second and len(first) >= 43


def test_a_project_template_overrides_an_email(api, user, mailoutbox, settings, tmp_path):
    override = tmp_path / "accounts" / "email"
    override.mkdir(parents=True)
    (override / "reset_subject.txt").write_text("Custom reset for " + "{" * 2 + " site_name }}")
    template_dirs = [str(tmp_path), *settings.TEMPLATES[0]["DIRS"]]  # the project's first
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": template_dirs}]
    api.post("reset", {"email": "alice@example.org"})
    assert mailoutbox[-1].subject.startswith("Custom reset for")


def _lifecycle_emails(user):
    from accounts.core.digests import IssuedToken
    from accounts.mail import emails

    link = IssuedToken("link-token-value", user.date_joined)
    return {
        "email_change": emails.EmailChangeEmail(user, link, "alice@example.net"),
        "email_change_requested": emails.EmailChangeRequestedEmail(user, "alice@example.net"),
        "email_changed": emails.EmailChangedEmail(user, "alice.old@example.org"),
        "account_deleted": emails.AccountDeletedEmail(user),
    }


@pytest.mark.parametrize(
    ("kind", "recipient"),
    [
        ("email_change", "alice@example.net"),
        ("email_change_requested", "alice@example.org"),
        ("email_changed", "alice.old@example.org"),
        ("account_deleted", "alice@example.org"),
    ],
)
def test_lifecycle_emails_have_both_parts_name_the_site_and_go_where_they_should(
    user, settings, kind, recipient
):
    settings.SITE_NAME = "Acme Widgets"
    settings.FRONTEND_URL = "https://app.acme.test"
    message = _lifecycle_emails(user)[kind].build()
    assert message.to == [recipient]
    assert "Acme Widgets" in message.subject and "\n" not in message.subject
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html" and html.startswith("<!doctype html>")
    assert message.body.startswith("Hello alice,")
    if kind == "email_change":
        assert "https://app.acme.test/email?a=link-token-value" in message.body
        assert '<a href="https://app.acme.test/email?a=link-token-value">' in html
        assert "This link will expire on" in message.body
    else:
        assert "?a=" not in message.body + html  # notices carry no link token
