"""The emails the app sends: one small class each, a subject and a text and an HTML template.

The context comes from settings (site name, front-end URL), never from the
request, and mail goes only to the address stored on the user (SEC-19, SEC-22).
Override a template by putting a file of the same name under a project
template directory, e.g. ``templates/accounts/email/verify_body.txt``.

``send()`` renders the email and queues it in the outbox (``accounts.mail.outbox``): no
mail is sent inside the request (SEC-53). A subclass needs nothing more to be queued,
sealed at rest and retried.
"""

import enum
from datetime import UTC

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts import conf
from accounts.core.digests import digest
from accounts.mail import outbox


class EmailTypes(enum.Enum):
    """The two kinds of link email the seed API sends."""

    VERIFY = "verify"
    RESET = "reset"


def format_expiry(moment) -> str:
    """Return ``YYYY-MM-DD HH:MM:SS UTC``, the seed's wording."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


KIND_HEADER = "X-Auth-Email"


class AuthEmail:
    """An email to one user: subject, text and HTML parts rendered from ``template_prefix``.

    Each message carries its kind, the template prefix, in the ``X-Auth-Email`` header: a
    mail filter or a provider's tagging can sort on it, and tests tell the emails apart by
    it rather than by wording a project is free to change.
    """

    template_prefix = ""
    link_digest = ""  # the digest of the link token the email carries, if it carries one

    def __init__(self, user, **context):
        self.user = user
        self.extra = context

    def get_context(self) -> dict:
        return {
            "user": self.user,
            "username": self.user.username,
            "site_name": conf.get("SITE_NAME"),
            "frontend_url": conf.get("FRONTEND_URL").rstrip("/"),
            **self.extra,
        }

    def recipient(self) -> str:
        """Return the one address this email goes to: the one stored on the account."""
        return self.user.email

    def build(self) -> EmailMultiAlternatives:
        context = self.get_context()
        prefix = f"accounts/email/{self.template_prefix}"
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{prefix}_body.txt", context),
            to=[self.recipient()],
            headers={KIND_HEADER: self.template_prefix},
        )
        message.attach_alternative(render_to_string(f"{prefix}_body.html", context), "text/html")
        return message

    def send(self) -> bool:
        """Queue it for the sender; ``False`` only if it was sent at once and that failed.

        A mail the sender cannot deliver is retried, then dropped with its link withdrawn
        and ``email_failed`` logged (``accounts.mail.outbox``): the answer to the client stays
        the same either way (SEC-24, SEC-44).
        """
        return outbox.enqueue(
            self.build(),
            kind=self.template_prefix,
            user=self.user.pk,
            link_digest=self.link_digest,
        )


class LinkEmail(AuthEmail):
    """An email carrying a one-time link to the front end's ``page``, with its expiry."""

    page = ""

    def __init__(self, user, link):
        super().__init__(
            user,
            link=conf.frontend_link(self.page, link.token),
            expires=format_expiry(link.expires_at),
        )
        self.link_digest = digest(link.token)


class VerificationEmail(LinkEmail):
    """The link that proves the user owns the address (``/verify?a=...``)."""

    template_prefix = page = "verify"


class PasswordResetEmail(LinkEmail):
    """The link that sets a new password (``/reset?a=...``)."""

    template_prefix = page = "reset"


class LoginCodeEmail(AuthEmail):
    """The one-time code that logs in (``PUT login/code``, SEC-63), with its expiry.

    A code, not a link: the user types it where they asked for it, so a mail scanner that
    opens links logs no one in, and a phone app needs no link handling.
    """

    template_prefix = "login_code"

    def __init__(self, user, issued):
        super().__init__(user, code=issued.shown, expires=format_expiry(issued.expires_at))


class PasswordChangedEmail(AuthEmail):
    """The notice after a reset or change (SEC-21): no link, no secret."""

    template_prefix = "password_changed"


class EmailChangeEmail(LinkEmail):
    """The link that moves the account to a new address, sent to that NEW address (SEC-48).

    The one email that does not go to the stored address: it proves that whoever
    asked for the change can read mail at the address asked for.
    """

    template_prefix = "email_change"
    page = "email"

    def __init__(self, user, link, new_email: str):
        super().__init__(user, link)
        self.extra["new_email"] = new_email

    def recipient(self) -> str:
        return self.extra["new_email"]


class EmailChangeRequestedEmail(AuthEmail):
    """The notice to the current address that a change to ``new_email`` was asked for (SEC-48)."""

    template_prefix = "email_change_requested"

    def __init__(self, user, new_email: str):
        super().__init__(user, new_email=new_email)


class EmailChangeTakenEmail(AuthEmail):
    """The notice to an account whose address another account asked to move to (SEC-58).

    Sent instead of a link, so ``POST email`` answers the same whether or not the address
    is taken, and the owner of the address learns that someone tried.
    """

    template_prefix = "email_change_taken"


class UsernameChangedEmail(AuthEmail):
    """The notice that the account's username changed (``PATCH me``, SEC-57): old and new."""

    template_prefix = "username_changed"

    def __init__(self, user, old_username: str):
        super().__init__(user, old_username=old_username)


class EmailChangedEmail(AuthEmail):
    """The notice to the OLD address once the account has moved to ``new_email`` (SEC-48)."""

    template_prefix = "email_changed"

    def __init__(self, user, old_email: str):
        super().__init__(user, old_email=old_email, new_email=user.email)

    def recipient(self) -> str:
        return self.extra["old_email"]


class AccountDeletedEmail(AuthEmail):
    """The notice that the account and everything it held are gone (no link, no secret)."""

    template_prefix = "account_deleted"


# --- Two-factor authentication notices (SEC-52): no code, no secret in any of them --------
class MfaEnabledEmail(AuthEmail):
    """Two-factor authentication was turned on."""

    template_prefix = "mfa_enabled"


class MfaDisabledEmail(AuthEmail):
    """TOTP was turned off by the user: MFA with it, unless ``passkeys_remain``."""

    template_prefix = "mfa_disabled"

    def __init__(self, user, passkeys_remain: bool = False):
        super().__init__(user, passkeys_remain=passkeys_remain)


class MfaDisabledByAdminEmail(AuthEmail):
    """Two-factor authentication was turned off by an administrator (a locked-out user)."""

    template_prefix = "mfa_disabled_by_admin"


class RecoveryCodesRenewedEmail(AuthEmail):
    """New recovery codes replaced the old ones."""

    template_prefix = "mfa_recovery_codes_renewed"


class RecoveryCodeUsedEmail(AuthEmail):
    """A recovery code was used; says how many are left (``remaining``)."""

    template_prefix = "mfa_recovery_code_used"


# --- Passkey notices (SEC-61): the passkey's name, never its key or credential id ----------
class PasskeyAddedEmail(AuthEmail):
    """A passkey was added; ``mfa_turned_on`` when it is the account's first second factor."""

    template_prefix = "passkey_added"

    def __init__(self, user, name: str, mfa_turned_on: bool):
        super().__init__(user, passkey_name=name, mfa_turned_on=mfa_turned_on)


class PasskeyRemovedEmail(AuthEmail):
    """A passkey was removed; ``mfa_turned_off`` when it was the account's last second factor."""

    template_prefix = "passkey_removed"

    def __init__(self, user, name: str, mfa_turned_off: bool):
        super().__init__(user, passkey_name=name, mfa_turned_off=mfa_turned_off)


class PasskeyFirstUsedEmail(AuthEmail):
    """A passkey was used for the first time."""

    template_prefix = "passkey_first_used"

    def __init__(self, user, name: str):
        super().__init__(user, passkey_name=name)


# --- Social login (accounts.social): a new way in, or one fewer, is always told -------------
class SocialLinkedEmail(AuthEmail):
    """A provider account (``provider_name``) now signs in to this account."""

    template_prefix = "social_linked"

    def __init__(self, user, provider_name: str):
        super().__init__(user, provider_name=provider_name)


class SocialUnlinkedEmail(AuthEmail):
    """A provider account (``provider_name``) no longer signs in to this account."""

    template_prefix = "social_unlinked"

    def __init__(self, user, provider_name: str):
        super().__init__(user, provider_name=provider_name)
