"""The OpenAPI document is good enough to use without reading the code.

/docs and /redoc are the API's manual: an operation without a summary or tag is lost in the
menu, a parameter without a description or example leaves the reader guessing at the format, a
2xx JSON response without a schema documents nothing, and a model field without a description
is a bare name. Each rule returns every offending item so one failing run lists all the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.config import Settings
from app.main import create_app
from tests.conftest import API_KEY

Spec = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PAGING = {"limit", "cursor"}  # paging parameters: described, but an example adds nothing


@pytest.fixture(scope="module")
def spec() -> Spec:
    """The document /openapi.json serves (it does not depend on the database)."""
    return create_app(Settings(database_url="sqlite://", api_key=API_KEY,
                               warm_up=False)).openapi()


def _operations(spec: Spec) -> Iterator[tuple[str, Spec]]:
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def _parameters(spec: Spec) -> Iterator[tuple[str, Spec]]:
    for label, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            yield f"{label} {parameter.get('in')} '{parameter.get('name')}'", parameter


def _schema_types(schema: Spec) -> set[str]:
    """Types a (possibly Optional / anyOf) schema admits."""
    types = {schema["type"]} if isinstance(schema.get("type"), str) else set(schema.get("type", []))
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):
        types |= _schema_types(option)
    return types - {"null"}


def _is_enumeration(schema: Spec) -> bool:
    """Enums, consts and booleans list their own values in the docs; no example needed."""
    if "enum" in schema or "const" in schema or _schema_types(schema) == {"boolean"}:
        return True
    return any(_is_enumeration(option) for option in schema.get("anyOf", []))


def _has_example(parameter: Spec) -> bool:
    """``Query(examples=[...])`` lands in the schema, ``openapi_examples`` on the parameter."""
    schema = parameter.get("schema", {})
    return any(key in holder for holder in (parameter, schema) for key in ("example", "examples"))


def operations_without_summary_or_tag(spec: Spec) -> list[str]:
    missing = []
    for label, operation in _operations(spec):
        missing += [f"{label}: no {key}" for key in ("summary", "tags") if not operation.get(key)]
        if not (operation.get("description") or operation.get("summary")):
            missing.append(f"{label}: no description or summary")
    return missing


def parameters_without_description(spec: Spec) -> list[str]:
    return [f"{label}: no description" for label, parameter in _parameters(spec)
            if not (parameter.get("description") or parameter.get("schema", {}).get("description"))]


def filters_without_example(spec: Spec) -> list[str]:
    """List (repeatable) parameters and every filter except paging and enumerations."""
    missing = []
    for label, parameter in _parameters(spec):
        schema = parameter.get("schema", {})
        is_list = "array" in _schema_types(schema)
        is_filter = (parameter.get("in") == "query" and parameter.get("name") not in PAGING
                     and not _is_enumeration(schema))
        if (is_list or is_filter) and not _has_example(parameter):
            missing.append(f"{label}: no example (Query(examples=[...]))")
    return missing


def responses_without_schema(spec: Spec) -> list[str]:
    """Every documented 2xx but 204 has a JSON body with a real (non-empty) schema."""
    missing = []
    for label, operation in _operations(spec):
        for status, response in operation.get("responses", {}).items():
            if not status.startswith("2") or status == "204":
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if not schema:
                missing.append(f"{label} {status}: no application/json schema")
    return missing


def schemas_without_description(spec: Spec) -> list[str]:
    """ReDoc shows a model's description above its fields: the class docstring."""
    return [f"schema {name}: no description (class docstring)"
            for name, schema in spec.get("components", {}).get("schemas", {}).items()
            if not schema.get("description")]


def schema_properties_without_description(spec: Spec) -> list[str]:
    return [f"schema {name}.{prop}: no description"
            for name, schema in spec.get("components", {}).get("schemas", {}).items()
            for prop, definition in schema.get("properties", {}).items()
            if not definition.get("description")]


RULES: list[Callable[[Spec], list[str]]] = [
    operations_without_summary_or_tag,
    parameters_without_description,
    filters_without_example,
    responses_without_schema,
    schemas_without_description,
    schema_properties_without_description,
]


@pytest.mark.parametrize("rule", RULES, ids=[rule.__name__ for rule in RULES])
def test_openapi_document_meets_the_bar(spec: Spec, rule: Callable[[Spec], list[str]]) -> None:
    assert list(_operations(spec)), "the document has no operations"
    missing = rule(spec)
    assert not missing, f"{len(missing)} item(s):\n  " + "\n  ".join(missing)


BAD_SPEC: Spec = {
    "paths": {"/v1/things": {"get": {
        "parameters": [
            {"name": "tag", "in": "query", "schema": {"type": "array", "items": {}}},
            {"name": "limit", "in": "query", "description": "Page size",
             "schema": {"type": "integer"}},
        ],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {}}}}},
    }}},
    "components": {"schemas": {"Thing": {"properties": {"id": {"type": "integer"}}}}},
}
GOOD_SPEC: Spec = {
    "paths": {"/v1/things": {"get": {
        "summary": "List things", "tags": ["things"],
        "parameters": [
            {"name": "tag", "in": "query", "description": "Tag; repeat for OR",
             "schema": {"type": "array", "items": {}, "examples": [["a", "b"]]}},
            {"name": "kind", "in": "query", "description": "Kind",
             "schema": {"anyOf": [{"enum": ["x", "y"]}, {"type": "null"}]}},
            {"name": "limit", "in": "query", "description": "Page size",
             "schema": {"type": "integer"}},
        ],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Thing"}}}},
            "204": {"description": "Nothing"}},
    }}},
    "components": {"schemas": {"Thing": {"description": "A thing.", "properties": {
        "id": {"type": "integer", "description": "Stable id"}}}}},
}


@pytest.mark.parametrize("rule", RULES, ids=[rule.__name__ for rule in RULES])
def test_rules_catch_a_bad_document_and_pass_a_good_one(
        rule: Callable[[Spec], list[str]]) -> None:
    """Each rule reports the hand-made flaw (so the test above can fail) and no false alarm."""
    assert rule(BAD_SPEC), f"{rule.__name__} missed the flaw in BAD_SPEC"
    assert rule(GOOD_SPEC) == []
