"""Login by a code mailed to the account's address (SEC-63): ``POST``/``PUT login/code``.

Owns: ``onetime`` (the codes: made, kept as digests in the user's document, tried, used once),
``flows`` (ask for a code: the look-up and the mail in an outbox task; trade a code for a
session or the second step), ``views`` (``login/code``) and ``openapi`` (its declarations).
The email is ``accounts.mail``'s (``LoginCodeEmail``).

May import: ``accounts.mfa`` (an account with a second factor goes on there),
``accounts.sessions``, ``accounts.mail``, ``accounts.security``, the models, the storage and
the primitives. Nothing imports it but the URLs and the API description.
"""
