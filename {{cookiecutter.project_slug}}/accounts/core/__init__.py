"""Primitives: what every other package builds on, depending on nothing of the app's but
``accounts.conf``, ``accounts.clock`` and ``accounts.errors``.

Owns: usernames and addresses with their canonical keys (``identifiers``), the password rules
(``passwords``), encryption at rest (``sealing``), random tokens and their digests
(``digests``), who is asking (``client``), security events and log redaction (``audit``),
reading a request's JSON (``payload``) and routing its method (``http``).

May import: ``accounts.conf``, ``accounts.clock``, ``accounts.errors``, Django and the
standard library. Never the models, the database or any feature.
"""
