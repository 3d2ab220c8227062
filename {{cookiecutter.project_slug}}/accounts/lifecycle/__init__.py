"""The account after sign-up: its profile (``GET``/``PATCH me``), email change and deletion.

Owns: ``flows`` (rename, change the address by a link to the new one, delete), ``views``
(``me``, ``email``) and ``openapi`` (their declarations). The session list is
``accounts.sessions``; two-factor set-up is ``accounts.mfa``.

May import: ``accounts.auth`` (its link tokens), ``accounts.sessions``, ``accounts.mail``,
``accounts.security``, the models, the storage and the primitives.
"""
