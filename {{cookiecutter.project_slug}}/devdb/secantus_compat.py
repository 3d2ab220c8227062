"""Launch SecantusDB with one fix: ``$addFields`` merges into embedded documents, as mongod does.

Run as a script by ``devdb.server`` (in SecantusDB's own environment, which
may not be this project's), so it imports nothing but SecantusDB.

The bug (SecantusDB 0.7.0b3), smallest reproduction::

    db.c.insert_one({"_id": 1, "specs": {"doors": 4}})
    db.c.aggregate([{"$addFields": {"specs": {"fuel": "unleaded"}}}])
    # mongod:     {"_id": 1, "specs": {"doors": 4, "fuel": "unleaded"}}
    # SecantusDB: {"_id": 1, "specs": {"fuel": "unleaded"}}

django-mongodb-backend emits exactly this shape when it orders by a field of a
``select_related`` model (the admin's permission list does), so the related
object came back without its ``_id``. Nothing else is changed.
"""

import copy
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


def patch() -> None:
    """Replace SecantusDB's ``$addFields`` per-document step with a merging one."""
    from secantus import aggregate

    def add_fields_one(doc, spec, variables):
        result = copy.deepcopy(doc)
        _apply(result, doc, spec, variables, "", aggregate)
        return result

    aggregate._add_fields_one = add_fields_one


if __name__ == "__main__":
    patch()
    from secantus.cli import main

    sys.exit(main(sys.argv[1:]))
