"""Email contents: parts, sender, subject, links from settings, expiry wording (CONTRACT 4).

The email contract lives here, and only here: the rest of the suite tells emails apart by
their ``X-Auth-Email`` kind and reads only the facts in them, so a project that rewords
every template keeps ``make test`` green (tests/conftest.py ``kinds``, ``renders_as``).
The tests named ``shipped`` render the app's own templates, whatever a project overrides.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.template import Context, Engine

from accounts.codes.onetime import IssuedCode
from accounts.core.digests import IssuedToken
from accounts.mail import emails
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


# --- Every email: what each promises, whatever its words ---------------------------------
LINK_KINDS = {"verify": "verify", "reset": "reset", "email_change": "email"}
SHIPPED = Path(emails.__file__).resolve().parent / "templates"


def every_email(user, **flags) -> dict:
    """One of each email the app sends, given sample facts; ``flags`` sets their booleans."""
    link = IssuedToken("link-token-value", user.date_joined)
    return {
        "verify": emails.VerificationEmail(user, link),
        "reset": emails.PasswordResetEmail(user, link),
        "login_code": emails.LoginCodeEmail(user, IssuedCode("K7MP2QXR", user.date_joined)),
        "password_changed": emails.PasswordChangedEmail(user),
        "email_change": emails.EmailChangeEmail(user, link, "alice@example.net"),
        "email_change_requested": emails.EmailChangeRequestedEmail(user, "alice@example.net"),
        "email_change_taken": emails.EmailChangeTakenEmail(user),
        "username_changed": emails.UsernameChangedEmail(user, old_username="alice.old"),
        "email_changed": emails.EmailChangedEmail(user, "alice.old@example.org"),
        "account_deleted": emails.AccountDeletedEmail(user),
        "mfa_enabled": emails.MfaEnabledEmail(user),
        "mfa_disabled": emails.MfaDisabledEmail(user, passkeys_remain=flags.get("on", False)),
        "mfa_disabled_by_admin": emails.MfaDisabledByAdminEmail(user),
        "mfa_recovery_codes_renewed": emails.RecoveryCodesRenewedEmail(user),
        "mfa_recovery_code_used": emails.RecoveryCodeUsedEmail(user, remaining=7),
        "passkey_added": emails.PasskeyAddedEmail(
            user, "Phone", mfa_turned_on=flags.get("on", False)
        ),
        "passkey_removed": emails.PasskeyRemovedEmail(
            user, "Phone", mfa_turned_off=flags.get("on", False)
        ),
        "passkey_first_used": emails.PasskeyFirstUsedEmail(user, "Phone"),
        "social_linked": emails.SocialLinkedEmail(user, "GitHub"),
        "social_unlinked": emails.SocialUnlinkedEmail(user, "GitHub"),
    }


def email_classes(base=emails.AuthEmail) -> set:
    found = set()
    for subclass in base.__subclasses__():
        if subclass.template_prefix:
            found.add(subclass.template_prefix)
        found |= email_classes(subclass)
    return found


def test_the_table_below_holds_every_email_the_app_sends(user):
    assert set(every_email(user)) == email_classes()
    assert {path.name.rsplit("_", 1)[0] for path in (SHIPPED / "accounts" / "email").iterdir()} == (
        email_classes()
    )


KINDS = sorted(email_classes())
FACTS = {  # what the sample emails are told, which the shipped templates must state
    "username_changed": ["alice.old", "alice"],
    "email_change": ["alice@example.net"],
    "email_change_requested": ["alice@example.net"],
    "email_changed": ["alice.old@example.org", "alice@example.org"],
    "login_code": ["K7MP-2QXR"],
    "mfa_recovery_code_used": ["7"],
    "passkey_added": ["Phone"],
    "passkey_removed": ["Phone"],
    "passkey_first_used": ["Phone"],
    "social_linked": ["GitHub"],
    "social_unlinked": ["GitHub"],
}
FLAGGED = {"mfa_disabled", "passkey_added", "passkey_removed"}  # say more when the flag is on


@pytest.mark.parametrize("kind", KINDS)
def test_each_email_names_the_site_has_both_parts_and_carries_a_link_only_if_it_is_one(
    user, settings, kind
):
    settings.SITE_NAME = "Acme Widgets"
    settings.FRONTEND_URL = "https://app.acme.test"
    email = every_email(user)[kind]
    message = email.build()
    assert message.to == [email.recipient()]
    assert "Acme Widgets" in message.subject and "\n" not in message.subject
    assert message.extra_headers == {"X-Auth-Email": kind}
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    if kind in LINK_KINDS:
        url = f"https://app.acme.test/{LINK_KINDS[kind]}?a=link-token-value"
        assert url in message.body and f'<a href="{url}">' in html
        expiry = f"This link will expire on {emails.format_expiry(user.date_joined)}"
        assert expiry in message.body and expiry in html
    else:
        assert "?a=" not in message.body + html  # a notice carries no link token


def test_emails_go_to_the_stored_address_but_the_change_link_goes_to_the_new_one(user):
    to = {kind: email.recipient() for kind, email in every_email(user).items()}
    assert to.pop("email_change") == "alice@example.net"
    assert to.pop("email_changed") == "alice.old@example.org"  # the address it moved from
    assert set(to.values()) == {user.email}


def render_shipped(email) -> tuple[str, str, str]:
    """Render ``email`` with the app's own templates, whatever the project overrides."""
    engine = Engine(dirs=[str(SHIPPED)])
    context = Context(email.get_context())
    prefix = f"accounts/email/{email.template_prefix}"
    return tuple(
        engine.get_template(f"{prefix}_{part}").render(context)
        for part in ("subject.txt", "body.txt", "body.html")
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_templates_greet_the_user_and_state_each_fact_they_are_given(
    user, settings, kind
):
    settings.SITE_NAME = "Acme Widgets"
    subject, text, html = render_shipped(every_email(user)[kind])
    assert html.startswith("<!doctype html>") and "<p>Hello alice" in html
    assert text.startswith("Hello alice")  # "Hello alice:" in the seed's two, "," in the rest
    for fact in FACTS.get(kind, []):
        assert fact in text and fact in html, fact
    if kind in FLAGGED:
        assert render_shipped(every_email(user, on=True)[kind]) != (subject, text, html)
