"""Mail: the emails the app sends, the outbox they wait in, and the sender that delivers them.

Owns: ``emails`` (one small class per email: subject, text and HTML templates), ``outbox``
(one insert per queued email in MongoDB, leases, retries, tasks), ``envelope`` (a queued
email sealed at rest), ``sender`` (the thread or process that empties the outbox) and
``templates/accounts/email/`` (override any of them under the project's
``templates/accounts/email/``).

May import: the models, the storage and the primitives. Never a feature: features queue mail
through ``emails``; work the outbox runs later (a reset's look-up) is registered with it by
the feature that owns it (``outbox.register_task``).
"""
