"""Passkeys (WebAuthn): a second factor, and a way to log in without a password (SEC-61).

Owns: ``relying_party`` (who we are, the options, py_webauthn's checks behind a strict
parse of the browser's JSON), ``challenges`` (one-time, five minutes, stored as digests,
bound to a purpose and an account), ``credentials`` (the ``passkeys`` array of the user's
document and its conditional writes), ``flows`` (register, list, rename, remove, log in,
verify a second factor), ``views`` (``passkeys/register``, ``passkeys``, ``passkeys/<id>``,
``login/passkey``) and ``openapi``. Its emails are ``accounts.mail``'s; its challenge model
is ``accounts.models.PasskeyChallenge``.

May import: ``accounts.mfa.recovery_codes`` (the first passkey brings them), ``accounts.sessions``
(a passkey login starts a session), ``accounts.mail``, ``accounts.security``, the models, the
storage and the primitives. Never the rest of ``accounts.mfa``: ``mfa.flows`` imports this
package to accept a passkey as the login's second step.
"""
