"""The ways through the admin login's second step (``accounts.admin.login``): one per factor.

Each ``SecondFactor`` is a form field, the template that shows it (its own form on the
page, with its own button) and the check. ``SECOND_FACTORS`` lists them; the page offers
those the account has. TOTP and recovery codes are checked by
``accounts.mfa.flows.verify_second_factor``: counted against the account with failed
logins before the check, and a used recovery code mailed to its owner.

A passkey is the third: its template embeds request options made for this account and the
purpose ``admin``, and a script (``admin_passkey.js``) asks the browser for an assertion,
puts it in a hidden field and sends the form; ``verify`` checks it, one-time and bound to
the admin's step, as the API's second step does.
"""

import json

from django import forms
from django.core.exceptions import ValidationError

from accounts.errors import AuthError, InvalidCode, InvalidCredential, MfaUnavailable, Throttled
from accounts.mfa import flows as mfa
from accounts.mfa.passkeys import flows as passkeys
from accounts.models import User


class SecondFactor:
    """One way through step 2: a form field, the template that shows it, the check."""

    name = ""  # the form field's name
    label = ""
    button = "Verify"
    template = "accounts/admin/factor_field.html"

    def available(self, user: User) -> bool:
        raise NotImplementedError

    def field(self) -> forms.Field:
        raise NotImplementedError

    def verify(self, user: User, value: str) -> None:
        """Accept ``value`` for ``user`` or raise ``InvalidCode`` (or ``Throttled``)."""
        raise NotImplementedError

    def context(self, user: User) -> dict:
        """Return what this factor's template shows besides its field (nothing, mostly)."""
        return {}


class TotpCode(SecondFactor):
    name = "code"
    label = "Code from your authenticator app"

    def available(self, user):
        return bool(user.totp_enabled)

    def field(self):
        attrs = {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        return forms.CharField(
            label=self.label, max_length=16, required=False, widget=forms.TextInput(attrs)
        )

    def verify(self, user, value):
        mfa.verify_second_factor(user, value, "")


class RecoveryCode(SecondFactor):
    name = "recovery_code"
    label = "A recovery code"
    button = "Use the recovery code"

    def available(self, user):
        return bool(user.mfa_enabled and user.mfa_recovery_codes)

    def field(self):
        attrs = {"autocomplete": "off", "spellcheck": "false"}
        return forms.CharField(
            label=self.label, max_length=64, required=False, widget=forms.TextInput(attrs)
        )

    def verify(self, user, value):
        mfa.verify_second_factor(user, "", value)  # mails the account that one was used


class Passkey(SecondFactor):
    name = "passkey"
    label = "A passkey"
    button = "Use a passkey"
    template = "accounts/admin/passkey_field.html"

    def available(self, user):
        return bool(user.passkeys)

    def field(self):
        return forms.CharField(max_length=64 * 1024, required=False, widget=forms.HiddenInput)

    def context(self, user):
        # A fresh challenge each time the page is shown: one-time, five minutes, for "admin".
        return {"options": passkeys.assertion_options(user, "admin")}

    def verify(self, user, value):
        try:
            answer = json.loads(value)
        except (ValueError, RecursionError):  # RecursionError: [[[[... nested too deep
            raise InvalidCredential() from None
        mfa.verify_second_factor(user, "", "", answer, purpose="admin")


SECOND_FACTORS = [Passkey(), TotpCode(), RecoveryCode()]


class SecondFactorForm(forms.Form):
    """Step 2's fields, one per way the account has; the first one filled in is checked."""

    def __init__(self, user: User, factors: list[SecondFactor], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.factors = user, factors
        for factor in factors:
            self.fields[factor.name] = factor.field()
        self.used = self.throttled = None
        self.wrong_code = False

    def offered(self) -> list:
        """Return ``(factor, bound field, its context)`` for the template."""
        return [(factor, self[factor.name], factor.context(self.user)) for factor in self.factors]

    def clean(self):
        given = [f for f in self.factors if (self.cleaned_data.get(f.name) or "").strip()]
        if not given:
            raise ValidationError("Enter a code.", code="required")
        factor = given[0]
        try:
            factor.verify(self.user, self.cleaned_data[factor.name].strip())
        except (InvalidCode, InvalidCredential):
            self.wrong_code = True
            raise ValidationError(
                "That code is not right, or it was used already.", code="invalid_code"
            ) from None
        except Throttled as exc:
            self.throttled = exc
            raise ValidationError(
                "Too many wrong codes. Try again in %(seconds)s seconds.",
                code="throttled",
                params={"seconds": exc.retry_after},
            ) from None
        except MfaUnavailable:
            raise ValidationError(
                "Codes from an authenticator app cannot be checked: AUTH_MFA_KEY is not set "
                "on this server. Use a recovery code.",
                code="mfa_unavailable",
            ) from None
        except AuthError as exc:
            raise ValidationError(str(exc), code=exc.code) from None
        self.used = factor
        return self.cleaned_data
