"""Every import path the README, the docs or the public contract gives keeps working.

The app is laid out in packages by feature (docs/architecture.md); code written against the
seed library, against the contract's Python API or against an earlier bake of this project
imports from the paths below, so moving a module must leave them in place.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from accounts import conf

PROJECT = Path(__file__).resolve().parent.parent
# "from accounts.x import a, b as c" or "import accounts.x", as written in a Markdown code block.
DOCUMENTED_IMPORT = re.compile(
    r"^\s*(?:from (accounts(?:\.\w+)*) import ([\w, ]+?)\s*(?:#.*)?|import (accounts(?:\.\w+)*))$",
    re.MULTILINE,
)
# The contract's Python API (sections 5 and 6) and the names the settings give Django.
CONTRACT_PATHS = {
    "accounts.models": ["User"],
    "accounts.emails": ["EmailTypes"],
    "accounts.errors": ["AuthError", "DjMongoAuthError", "MfaRequired"],
    "accounts.decorators": ["authenticated"],
    "accounts.api": ["api_view", "authenticated", "read_json", "string_field", "InvalidInput"],
    "accounts.clock": ["iso", "now"],
    "accounts.openapi.builders": ["operation", "answer", "json_object", "string", "ref", "TOKEN"],
}
INTEGRATIONS = {
    "accounts.integrations.drf": ("rest_framework", "TokenAuthentication"),
    "accounts.integrations.ninja": ("ninja", "TokenAuth"),
}
SEED_METHODS = ["register", "login", "logout", "send_email", "handle_email_request"]


def documented_imports() -> set[tuple[str, str, str]]:
    """Return (module, name, attribute) for each ``accounts`` import in the README and docs/.

    ``attribute`` is one the page then uses on an imported module (``lifecycle.change_username``
    after ``from accounts.lifecycle import flows as lifecycle``), or "" for the import itself.
    """
    pages = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
    found = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for module, names, bare in DOCUMENTED_IMPORT.findall(text):
            if bare:
                found.add((bare, "", ""))
            for entry in filter(None, (n.strip() for n in names.split(","))):
                name, _, alias = entry.partition(" as ")
                found.add((module, name, ""))
                for used in set(re.findall(rf"(?<![\w.]){alias or name}\.(\w+)\(", text)):
                    found.add((module, name, used))
    return found


def test_the_contract_python_api_imports_from_its_documented_paths():
    for module, names in CONTRACT_PATHS.items():
        imported = importlib.import_module(module)
        for name in names:
            assert hasattr(imported, name), f"{module}.{name}"
    from accounts.errors import AuthError, DjMongoAuthError
    from accounts.models import User

    assert AuthError is DjMongoAuthError
    assert all(callable(getattr(User, method)) for method in SEED_METHODS)


def test_every_import_the_readme_and_the_docs_show_works():
    imports = documented_imports()
    assert ("accounts.models", "User", "") in imports, "the docs no longer show the seed API?"
    for module, name, used in sorted(imports):
        if module in INTEGRATIONS:
            pytest.importorskip(INTEGRATIONS[module][0])
        imported = importlib.import_module(module)
        if not name:
            continue
        if not hasattr(imported, name):  # a submodule: importing it is what binds the name
            importlib.import_module(f"{module}.{name}")
        target = getattr(imported, name)
        assert not used or hasattr(target, used), f"from {module} import {name}; {name}.{used}"


@pytest.mark.parametrize("module", sorted(INTEGRATIONS))
def test_the_adapters_keep_their_paths(module):
    package, name = INTEGRATIONS[module]
    pytest.importorskip(package, reason=f"{package} is installed with EXTRAS=dev,drf,ninja")
    assert hasattr(importlib.import_module(module), name)


def test_the_public_names_are_the_objects_the_app_uses():
    from accounts import decorators, emails
    from accounts.mail.emails import EmailTypes
    from accounts.sessions.decorators import authenticated

    assert decorators.authenticated is authenticated
    assert emails.EmailTypes is EmailTypes


def test_the_management_commands_keep_their_names():
    assert {"rotate_mfa_key", "send_mail_worker"} <= set(get_commands())


def test_every_dotted_path_the_settings_give_django_imports():
    dotted = [
        *settings.MIDDLEWARE,
        *settings.AUTHENTICATION_BACKENDS,
        *(validator["NAME"] for validator in settings.AUTH_PASSWORD_VALIDATORS),
        settings.LOGGING["filters"]["redact_secrets"]["()"],
        *(f"{name}.paths" for name in conf.get("API_DESCRIPTIONS")),
    ]
    for path in dotted:
        module, _, name = path.rpartition(".")
        assert hasattr(importlib.import_module(module), name), path
