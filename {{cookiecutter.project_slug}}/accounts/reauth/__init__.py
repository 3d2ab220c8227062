"""Re-authentication: ``POST reauthenticate`` proves the user again, on one session (SEC-55).

Owns: ``flows`` (check the password or a second factor, then stamp the session), ``views``
(``reauthenticate``, ``reauthenticate/passkey``) and ``openapi``. Whether a session is freshly
re-authenticated, and the requirement every sensitive operation applies, is
``accounts.sessions.reauth``: below every feature, so each of them can require it without
importing this package.

May import: ``accounts.mfa`` (a code or a passkey as proof), ``accounts.sessions``,
``accounts.security`` and the primitives. Nothing imports it but the URLs.
"""
