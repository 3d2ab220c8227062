"""The toolkit every package's OpenAPI declarations are written with.

Owns: ``builders`` (``operation()``, ``answer()``, ``json_object()``, ``string()``, the token
requirements, the error codes and what each means) and ``components`` (what operations
share: the error body, the 401/405/413/415/429/503 answers with their headers, the token
scheme). Each package declares its own endpoints in its ``openapi.py``; ``accounts.docs``
puts them together into ``/api/openapi.json``.

May import: Django, the primitives, and the models for what ``User.PROFILE_FIELDS`` declares
(``profile_field()``: a profile field's schema, from its model field).
"""
