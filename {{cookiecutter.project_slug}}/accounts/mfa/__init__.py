"""Two-factor authentication: TOTP and recovery codes now; passkeys join them.

Owns: ``totp`` (secrets sealed at rest, codes, replay refused), ``recovery_codes`` (ten
digests, each usable once), ``flows`` (set-up, the login's second step, turning it off,
renewing codes, the admin's turn-off), ``views`` (``mfa/totp``, ``mfa/recovery-codes``,
``login/mfa``) and ``openapi`` (their declarations). Its emails are ``accounts.mail``'s.

May import: ``accounts.sessions`` (a finished second step starts a session),
``accounts.mail``, ``accounts.security``, the models, the storage and the primitives.
Never ``accounts.auth``, which imports it.
"""
