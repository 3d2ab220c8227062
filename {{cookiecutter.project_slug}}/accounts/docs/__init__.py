"""The API's description, served: ``GET /api/openapi.json`` and the ``/api/docs`` page.

Owns: ``document`` (the OpenAPI 3.1 document, put together from every package's
``openapi.py`` and the project's ``API_DESCRIPTIONS``), ``views`` (the document, the Swagger
UI page and its assets, when ``API_DOCS_ENABLED``) and ``templates/accounts/docs/``.

May import: every feature's ``openapi`` module, the OpenAPI toolkit (``accounts.openapi``)
and the primitives. Nothing imports it but the project's URLs.
"""
