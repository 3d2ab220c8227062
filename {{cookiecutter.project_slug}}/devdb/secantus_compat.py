"""Launch SecantusDB with six fixes: ``$addFields`` merges, partial indexes, prompt stops,
writes whose cost does not grow with the writes before them, and ``$all`` through arrays.

With ``--ready-fd N`` first, it also writes one byte to file descriptor N once it listens,
which ``devdb.server`` waits on instead of polling the port. Once the server has stopped,
the process exits without the interpreter's teardown, which took longer than the stop.

Run as a script by ``devdb.server`` (in SecantusDB's own environment, which
may not be this project's), so it imports nothing but SecantusDB. All these bugs are
in SecantusDB 0.7.0b3.

1. ``$addFields`` merges into embedded documents. Smallest reproduction::

    db.c.insert_one({"_id": 1, "specs": {"doors": 4}})
    db.c.aggregate([{"$addFields": {"specs": {"fuel": "unleaded"}}}])
    # mongod:     {"_id": 1, "specs": {"doors": 4, "fuel": "unleaded"}}
    # SecantusDB: {"_id": 1, "specs": {"fuel": "unleaded"}}

django-mongodb-backend emits exactly this shape when it orders by a field of a
``select_related`` model (the admin's permission list does), so the related
object came back without its ``_id``.

Two more, on stopping (SecantusDB 0.7.0b3), which cost every test that starts a server
seconds, and sometimes hung ``make run``'s exit:

- the main thread waits in ``threading.Event.wait()`` with no timeout, where a SIGTERM
  delivered to one of the server's other threads never wakes it: the handler never runs and
  the server ignores the signal (our wrapper then killed it after 10 s). Waiting in short
  slices lets the handler run.
- closing the listening socket does not wake the thread blocked in ``accept()`` on Linux, so
  every stop waited out a 2 s join. Shutting the socket down first wakes it.

And one on reads: an equality on a string uses a partial index whose filter is
``{$type: "string"}``. django-mongodb-backend makes every unique index that way; mongod
serves ``find_one({"digest": "ab12..."})`` from it, SecantusDB scanned the whole collection
instead (explain: ``COLLSCAN``), so a look-up by a unique field grew with the collection
(120 ms at 10,000 documents, 0.4 ms with the index). The same for a partial filter
``{$exists: true}``, which the passkeys' unique index has (accounts without a passkey have no
credential id to collide on). Smallest reproduction::

    db.c.create_index("a.b", unique=True, partialFilterExpression={"a.b": {"$exists": True}})
    db.c.find({"a.b": "x"}).explain()["queryPlanner"]["winningPlan"]["stage"]
    # mongod: FETCH over IXSCAN; SecantusDB: COLLSCAN

And one on writes: every retryable write (pymongo's default for single-document writes) is
recorded for 30 minutes, up to 10,000 records, and each write scans all of them twice to
prune, then, once at the cap, sorts them all to drop the oldest. So a write got slower with
every write before it. Smallest reproduction: ``update_one({"_id": 1}, {"$inc": {"n": 1}})``
in a loop takes 2.4 ms a write over the first 500 and 30 ms after 10,000 (2 loaded cores),
which is what a test worker's server reaches within a run. Records go in in time order, so
pruning from the oldest end until one is young enough keeps the same records in O(1) a write.

And one more on reads (SecantusDB 0.7.0b3): ``$all`` on a path through an array of
subdocuments asked one element to hold every value. Smallest reproduction::

    db.c.insert_one({"_id": 1, "a": [{"id": "x"}, {"id": "y"}]})
    db.c.count_documents({"a.id": {"$all": ["x", "y"]}})
    # mongod: 1 ($all is an $and of equalities, each met by any element); SecantusDB: 0

Social login's unlink conditions its update on the identities it read (``$all`` of their ids).
"""

import atexit
import contextlib
import copy
import os
import socket
import sys
from collections.abc import Mapping


def _is_literal_document(expr) -> bool:
    return (
        isinstance(expr, Mapping)
        and bool(expr)
        and not any(str(key).startswith("$") for key in expr)
    )


def _apply(result, doc, spec, variables, prefix, aggregate):
    for key, expr in spec.items():
        path = f"{prefix}{key}"
        existing = aggregate.get_path(result, path)
        if _is_literal_document(expr) and isinstance(existing, Mapping):
            _apply(result, doc, expr, variables, path + ".", aggregate)
            continue
        value = aggregate.evaluate_or_missing(expr, doc, variables)
        if value is aggregate.MISSING:
            aggregate.unset_path(result, path)
        else:
            aggregate.set_path(result, path, value)


def _equality_value(clause):
    if isinstance(clause, Mapping) and any(str(key).startswith("$") for key in clause):
        return clause.get("$eq") if set(clause) == {"$eq"} else None
    return clause


def patch() -> None:
    """Replace SecantusDB's ``$addFields`` per-document step with a merging one."""
    from secantus import aggregate

    def add_fields_one(doc, spec, variables):
        result = copy.deepcopy(doc)
        _apply(result, doc, spec, variables, "", aggregate)
        return result

    aggregate._add_fields_one = add_fields_one


def patch_partial_indexes() -> None:
    """Let an equality imply a ``{$type: "string"}`` or ``{$exists: true}`` partial filter,
    as mongod does.

    Sound: a document matching ``{f: "x"}`` has ``f`` equal to (or, an array holding) a
    string, and ``$type`` matches either; a document matching ``{f: v}`` with ``v`` not
    null has ``f``, so ``$exists: true`` matches it.
    """
    from secantus.storage import Storage

    original = Storage._query_implies_partial

    def implies(query, partial):
        rest = {}
        for key, wanted in partial.items():
            value = _equality_value(query.get(key))
            if wanted == {"$type": "string"} and isinstance(value, str):
                continue
            if wanted == {"$exists": True} and value is not None and key in query:
                continue
            rest[key] = wanted
        return original(query, rest) if rest else True

    Storage._query_implies_partial = staticmethod(implies)


def patch_stop() -> None:
    """Make SIGTERM/SIGINT stop the server at once, whichever thread the signal lands on."""
    from secantus.server import SecantusDBServer

    stop = SecantusDBServer.stop

    def wait(self):
        while not self._stop_event.wait(0.1):  # a timed wait lets signal handlers run
            pass

    def stop_promptly(self):
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread
        stop(self)

    SecantusDBServer.wait = wait
    SecantusDBServer.stop = stop_promptly


def patch_retryable_records() -> None:
    """Prune retryable-write records from the oldest end, not by scanning and sorting all."""
    from secantus import transactions

    def prune(self) -> None:
        cutoff = self._time() - transactions._RETRYABLE_RECORD_LIFETIME_SECONDS
        records = self._retryable  # a dict: insertion order is the order they were recorded
        while records:
            oldest = next(iter(records))
            if records[oldest][1] >= cutoff and len(records) <= transactions._RETRYABLE_RECORD_MAX:
                return
            del records[oldest]

    transactions.TransactionRegistry._prune_retryable_locked = prune


def patch_all_through_arrays() -> None:
    """Let each value of ``$all`` be met by any element of the path, as mongod does."""
    from secantus import query

    original = query._op_all

    def op_all(values, required, *, descend=True):
        whole = original(values, required, descend=descend)  # also validates the argument
        if whole or not isinstance(required, list) or len(values) < 2:
            return whole
        return all(original(values, [each], descend=descend) for each in required)

    query._op_all = op_all


def patch_ready(ready_fd: int) -> None:
    """Write one byte to ``ready_fd`` once the server listens (``devdb.server`` waits on it)."""
    from secantus.server import SecantusDBServer

    start = SecantusDBServer.start

    def start_and_tell(self):
        start(self)
        os.write(ready_fd, b"1")
        os.close(ready_fd)

    SecantusDBServer.start = start_and_tell


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--ready-fd"]:
        ready_fd, args = int(args[1]), args[2:]
        patch_ready(ready_fd)
    patch()
    patch_partial_indexes()
    patch_stop()
    patch_retryable_records()
    patch_all_through_arrays()
    from secantus.cli import main

    try:
        code = main(args)
    except SystemExit as stop:  # the signal handler's, once the server has stopped
        code = stop.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    # The server closed its storage: the interpreter's teardown (numpy, shapely, WiredTiger
    # modules) would only delay the exit that `devdb` and the tests wait for, by 0.1-0.2 s.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
