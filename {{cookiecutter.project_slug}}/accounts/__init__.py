"""The accounts app: users, their sessions and every way in, as one Django app in layers.

Packages by feature, each with the same shape (its logic, ``views.py``, ``openapi.py``, its
``templates/``), and the tests mirroring them under ``tests/<package>/``:

    auth/         the seed's flows: register, log in, verify, reset, change the password
    codes/        login by a one-time code mailed to the account (login/code)
    sessions/     login tokens in the user's document, browser session cookies; logout, the
                  session list
    lifecycle/    the account after sign-up: profile, email change, deletion
    reauth/       POST reauthenticate: a fresh proof for sensitive operations
    social/       sign in with Google, Apple, Microsoft, GitHub or any OpenID Connect provider
    mfa/          two-factor authentication: TOTP, recovery codes
    pages/        the pages email links open (/verify, /reset, /email)
    demo/         the reference front end, /demo/ (DEBUG only)
    docs/         /api/openapi.json and /api/docs, put together from every openapi.py
    mail/         the emails, the outbox they wait in, the sender
    security/     throttles and password checks
    openapi/      the toolkit the openapi.py modules are written with
    admin/        the Django admin: users and their sessions, its login in two steps (the
                  second factor), Django's sessions stored by digest
    core/         primitives: identifiers, passwords, sealing, digests, client, audit, payload

Layers, highest first; a module imports only from its own layer or lower ones, never up,
not even inside a function (``make lint`` checks it with import-linter; the contracts are in
``pyproject.toml``, the reasons in docs/architecture.md):

    wiring        urls, admin, apps, checks, backends, api, decorators, emails, integrations,
                  management
    HTTP          docs, middleware, pages, demo
    features      lifecycle, reauth, social > auth, codes > mfa > sessions
    services      mail, security, openapi
    models        models
    storage       documents > store (the one file that differs per ORM)
    primitives    core > errors > clock, conf

The one place a lower layer needs a higher one, the seed's ``User.login()`` and friends, is
inverted: ``AccountsConfig.ready()`` hands the flows to the model, and the model's signals
tell the sessions when a password changes.
"""

# Django 3.1 (the djongo variant) finds AccountsConfig, and so its ready(), only through this;
# Django 3.2+ finds it by itself and ignores the name.
default_app_config = "accounts.apps.AccountsConfig"
