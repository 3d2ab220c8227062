"""The seed's flows: register, log in, verify the address, reset and change the password.

Owns: ``flows`` (what the API and the seed's ``User`` methods run), ``links`` (one-time email
link tokens), ``views`` (``register``, ``login``, ``verify``, ``reset``, ``password``) and
``openapi`` (their declarations). The pages the links open are ``accounts.pages``.

May import: ``accounts.mfa`` (a login with a second factor goes on there), ``accounts.sessions``,
``accounts.mail``, ``accounts.security``, the models, the storage and the primitives.
"""
