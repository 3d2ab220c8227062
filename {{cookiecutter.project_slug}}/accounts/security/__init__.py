"""The guards every flow uses: throttles kept in MongoDB, and password checks counted by them.

Owns: ``throttling`` (fixed windows shared by every worker, SEC-27) and ``credentials`` (every
password comparison: the API login, ``authenticate()`` and the current password asked for
before a sensitive change, each counted before it runs).

May import: the models, the storage (``accounts.store``, ``accounts.documents``) and the
primitives (``accounts.core``, ``conf``, ``clock``, ``errors``). Never a feature or HTTP.
"""
