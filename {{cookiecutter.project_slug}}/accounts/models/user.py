"""The user: one document per account, its login sessions and second factors inside it.

``User`` keeps the seed library's Python API (``register``, ``login``, ``logout``,
``send_email``, ``handle_email_request``). The work is done by the flows above this module
(``accounts.auth.flows``, ``accounts.sessions.flows``), which import the models; so the models
never import them back. ``AccountsConfig.ready()`` hands the flows to ``SEED_FLOWS`` instead,
and a save that changes the password tells whoever listens through the signals below
(``accounts.sessions.tokens`` ends or keeps the sessions). See docs/architecture.md.
"""

import functools

from django.contrib.auth import password_validation
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.functional import cached_property

from accounts import clock, documents, store
from accounts.core.identifiers import EMAIL_MAX, USERNAME_MAX, canonical_key, username_skeleton
from accounts.models import profile

# Sent with ``user`` after a save that stored a new password hash or deactivated the
# account: every session of it must end (SEC-14, SEC-15).
sessions_invalidated = Signal()
# Sent with ``user`` and ``old_hash`` when a login re-hashed the same password (new hasher
# settings): its sessions are the same person's and are kept.
password_rehashed = Signal()
# The flows behind the seed's methods, by name: filled by ``AccountsConfig.ready()``.
SEED_FLOWS: dict = {}


class UserManager(BaseUserManager):
    """Create users (``createsuperuser`` included) with canonical keys and hashed passwords."""

    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(username_key=canonical_key(username))

    def username_taken(self, username: str, exclude_pk=None) -> bool:
        """Tell whether another account has ``username``: in another spelling of it (``ALICE``)
        or a name that looks the same (``аlice`` with a Cyrillic а, ``aIice``; SEC-29)."""
        clash = Q(username_key=canonical_key(username)) | Q(
            username_skeleton=username_skeleton(username)
        )
        others = self.filter(clash)
        return (others if exclude_pk is None else others.exclude(pk=exclude_pk)).exists()

    def create_user(self, username, email, password=None, **extra):
        user = self.model(username=username, email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, email, password=None, **extra):
        """Create an admin; its password must pass the validators, even from a script.

        ``createsuperuser --noinput`` (``DJANGO_SUPERUSER_PASSWORD``) skips Django's
        validation, and its interactive "bypass" answer would too: an admin account is
        the last one to leave with a weak password.
        """
        if password is not None:
            candidate = self.model(username=username, email=email)
            password_validation.validate_password(password, candidate)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: logs in with a username and a password and owns one email address.

    Its live login sessions are an array, ``sessions``, in this same document, written
    and read outside the ORM (``accounts.sessions.tokens``); the ORM's saves ``$set`` the
    model's own fields and leave the array alone.

    Its two-factor state lives on the same document (``mfa_*``, written only by
    ``accounts.mfa``), so the one read that authenticates a request finds it too; so do the
    one-time codes mailed to it (``email_codes``, outside the ORM as ``sessions`` are, written
    only by ``accounts.codes.onetime``, which says what they hold).
    ``mfa_enabled`` says the account has a second factor: TOTP (``mfa_secret`` is set), one
    or more passkeys, or both; the recovery codes come with the first of them and go with
    the last. ``mfa_recovery_codes`` holds the SHA-256 digests of the unused recovery codes:
    at most ``mfa.recovery_codes.COUNT`` (10), one removed by each use.

    Its passkeys are another array, ``passkeys``, kept outside the ORM like the sessions
    (``accounts.mfa.passkeys.credentials`` says what an element holds and what bounds it):
    a save of this model never writes back a stale copy of a sign count or of a removed
    passkey. The raw reads bring it with the document (``accounts.documents.from_document``);
    ``passkeys`` reads it when the instance came from the ORM.
    The provider accounts linked to it (Google, GitHub...) are another array of this
    document, ``social_identities``, written outside the ORM like the sessions
    (``accounts.social.identities`` says what an element holds and what bounds it).
    """

    # Arrays of the document that the ORM does not know: the raw reads set them on the instance.
    EMBEDDED_ARRAYS = ("passkeys", "social_identities")

    username = models.CharField(max_length=USERNAME_MAX, unique=True)
    email = models.EmailField(max_length=EMAIL_MAX)
    # NFKC + casefold of the two above, unique, so look-alike spellings are one account (SEC-29).
    username_key = models.CharField(max_length=USERNAME_MAX * 3, unique=True, editable=False)
    # How the name looks (accounts.core.identifiers.username_skeleton): confusables folded. Unique
    # through an index migration 0004 makes once every row has one; null only before that.
    username_skeleton = models.CharField(  # noqa: DJ001 - null means "not computed yet"
        max_length=USERNAME_MAX * 18, null=True, editable=False
    )
    email_key = models.CharField(max_length=EMAIL_MAX * 3, unique=True, editable=False)
    email_verified = models.BooleanField(default=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=clock.now)
    mfa_enabled = models.BooleanField("two-factor authentication", default=False, editable=False)
    # AES-GCM sealed (accounts.mfa.totp), never in clear: the active secret and one being set up.
    mfa_secret = models.CharField(max_length=200, blank=True, default="", editable=False)
    mfa_pending_secret = models.CharField(max_length=200, blank=True, default="", editable=False)
    # The last TOTP time step accepted: a code of that step or earlier is a replay (SEC-50).
    mfa_last_step = models.BigIntegerField(default=0, editable=False)
    mfa_recovery_codes = store.DigestListField(blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]
    # The fields the account's owner reads in GET me and sets with PATCH me, also shown in the
    # admin's form and list and described in the OpenAPI document; each value is checked by
    # its model field (accounts.models.profile; add one: docs/add-a-field.md).
    PROFILE_FIELDS = ["username"]

    def __str__(self):
        return self.username

    def clean(self):
        """Refuse a name or address another account has in a look-alike spelling.

        The unique indexes are on the canonical keys, which forms do not see (they
        are not editable): without this, the admin would save and hit a 500.
        """
        super().clean()
        errors = {}
        keys = [
            ("username", "username_key", canonical_key),
            ("username", "username_skeleton", username_skeleton),  # a look-alike name
            ("email", "email_key", canonical_key),
        ]
        for field, key_field, fold in keys:
            value = getattr(self, field)
            if not value:
                continue
            others = User.objects.filter(**{key_field: fold(value)}).values_list("pk", flat=True)
            if any(pk != self.pk for pk in others):
                errors[field] = f"Another account already has this {field}."
        if errors:
            raise ValidationError(errors)

    def set_keys(self):
        """Derive the canonical keys from the name and address (``save()`` calls this)."""
        self.username_key = canonical_key(self.username)
        self.username_skeleton = username_skeleton(self.username)
        self.email_key = canonical_key(self.email)

    def save(self, *args, **kwargs):
        self.set_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"username": ["username_key", "username_skeleton"], "email": ["email_key"]}
            kwargs["update_fields"] = {
                *update_fields,
                *(key for f in update_fields for key in extra.get(f, [])),
            }
        # set_password() leaves _password set until the save; a hash upgrade clears it first.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)  # $set of the model's fields: the sessions array stays
        if password_changed or not self.is_active:
            # The admin, changepassword and set_password() + save() end every session too
            # (the password binding would refuse them anyway); so does deactivation (SEC-14).
            sessions_invalidated.send(sender=User, user=self)

    def check_password(self, raw_password):
        """Check ``raw_password``; if Django upgrades the hash, keep this user's sessions."""
        before = self.password
        correct = super().check_password(raw_password)
        if correct and self.password != before:
            password_rehashed.send(sender=User, user=self, old_hash=before)
        return correct

    @functools.cached_property
    def passkeys(self) -> list[dict]:
        """The stored elements of this account's ``passkeys`` array (never changed in place)."""
        if self.pk is None or not self.mfa_enabled:  # a passkey turns MFA on: no read needed
            return []
        return documents.read_array(User, self.pk, "passkeys")

    @property
    def totp_enabled(self) -> bool:
        """Whether an authenticator app's codes are one of this account's second factors."""
        return bool(self.mfa_enabled and self.mfa_secret)

    @property
    def has_second_factor(self) -> bool:
        """Whether a password alone must not log this account in (a second step follows).

        The API login answers ``mfa_required``, the admin's login asks for the factor
        (``accounts.admin.login``), and ``authenticate()``, which cannot ask, refuses the
        account (``accounts.backends``, SEC-56).
        """
        return bool(self.mfa_enabled)

    @property
    def mfa_methods(self) -> list[str]:
        """The second factors this account has, as ``GET me`` lists them."""
        if not self.mfa_enabled:
            return []
        methods = ["totp"] if self.totp_enabled else []
        if self.passkeys:
            methods.append("passkey")
        return [*methods, "recovery_codes"]

    @property
    def reauthentication_methods(self) -> list[str]:
        """What this account can re-authenticate with.

        ``password``, ``totp`` and ``recovery_code`` at ``POST reauthenticate``; ``social``, a
        fresh sign-in at a provider linked to it (``POST social/<provider>/reauthenticate``),
        which is all an account made by a provider may have.
        """
        methods = ["password"] if self.has_usable_password() else []
        if self.totp_enabled:
            methods.append("totp")
        if self.mfa_enabled:
            methods.append("recovery_code")
        if self.mfa_enabled and self.passkeys:
            methods.append("passkey")
        if self.social_identities:
            methods.append("social")
        return methods

    @cached_property
    def social_identities(self) -> list[dict]:
        """The provider accounts linked to this one: with the document when a raw read (the
        authenticated request's) built the instance, else read on first use.

        Not a model field: ``accounts.social`` writes the array with single-document updates,
        which an ORM save of a stale copy would undo.
        """
        if self.pk is None:
            return []
        return documents.read_array(type(self), self.pk, "social_identities")

    def as_json(self) -> dict:
        """Return the public view of the user, as the API shows it: ``PROFILE_FIELDS`` too."""
        shown = {
            "id": str(self.pk),
            "username": self.username,
            "email": self.email,
            "email_verified": self.email_verified,
            "email_verified_at": clock.iso(self.email_verified_at),
            "mfa_enabled": bool(self.mfa_enabled),
            "mfa_methods": self.mfa_methods,
        }
        for field in profile.fields(type(self)):
            shown[field.name] = profile.to_json(self, field)
        return shown

    # --- The seed library's API (the flows come from SEED_FLOWS) -------------------
    def register(self):
        """Validate and save this new user; ``self.password`` holds the cleartext password."""
        return SEED_FLOWS["register"](self)

    @classmethod
    def login(cls, username, password) -> str:
        """Check the credentials and return a new login token.

        For an account with two-factor authentication on, raise ``MfaRequired``
        (code ``mfa_required``) carrying the ``mfa_token`` that ``login/mfa`` takes.
        """
        return SEED_FLOWS["login"](username, password).token

    @classmethod
    def logout(cls, request) -> None:
        """Revoke the token the request carries."""
        SEED_FLOWS["logout"](request)

    @classmethod
    def send_email(cls, request, type):  # noqa: A002 - the seed's keyword
        """Send the verification (token required) or reset email the request asks for."""
        SEED_FLOWS["send_email"](request, type)

    @classmethod
    def handle_email_request(cls, request, type):  # noqa: A002 - the seed's keyword
        """Complete a verification or a reset from the link token (``?a=`` or the body's ``a``)."""
        return SEED_FLOWS["handle_email_request"](request, type)
