"""Two-factor authentication: TOTP, recovery codes and passkeys.

Owns: ``totp`` (secrets sealed at rest, codes, replay refused), ``recovery_codes`` (ten
digests, each usable once), ``flows`` (the login's second step and the check of a second
factor, which re-authentication and the admin call too), ``enrolment`` (TOTP's set-up and
turn-off, renewing codes, the admin's turn-off), ``views`` (``mfa/totp``,
``mfa/recovery-codes``, ``login/mfa``, ``login/mfa/passkey``) and ``openapi`` (their
declarations); ``passkeys/``, a package of the same shape, owns WebAuthn. Its emails are
``accounts.mail``'s.

May import: ``accounts.sessions`` (a finished second step starts a session),
``accounts.mail``, ``accounts.security``, the models, the storage and the primitives.
Never ``accounts.auth``, which imports it. Inside: ``flows`` imports ``passkeys``, never
the other way.
"""
