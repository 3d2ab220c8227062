"""Social login: sign in with Google, Apple, Microsoft, GitHub or any OpenID Connect provider.

Owns: ``providers`` (``AUTH_SOCIAL_PROVIDERS`` and the presets), ``apple`` (Apple's client
secret), ``outbound`` (calls to providers, with a deadline), ``metadata`` (discovery documents
and key sets, cached), ``id_tokens`` (checking an ID token), ``github`` (GitHub's API),
``oauth`` (the authorization code flow with PKCE), ``profiles`` (who signed in),
``identities`` (the provider accounts in the user's document), ``usernames`` (a new
account's name), ``flows`` (sign in, link, unlink, re-authenticate), ``redirect`` (the
browser's round trip and its one-time codes), ``views`` and ``openapi``. The front end's side
of the round trip, a button per provider and the ``/social`` page it ends on, is the reference
front end's (``accounts.demo``). See docs/social-login.md.

May import: ``accounts.auth`` (a new account's verification mail), ``accounts.mfa`` (the
second factor still applies), ``accounts.sessions``, ``accounts.mail``, ``accounts.security``,
the models, the storage and the primitives. Nothing imports it but the URLs and the docs.
"""
