"""Finishing touches on the generated OpenAPI document.

FastAPI adds its own validation-error schemas without descriptions; ours describe what a
client gets back on 422 (the parameter's location and what it accepts).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

ERROR_DESCRIPTIONS = {
    "HTTPValidationError": ("A 422 answer: every invalid parameter or body field",
                            {"detail": "One entry per invalid input"}),
    "ValidationError": ("One invalid input", {
        "loc": "Where: ['query', 'limit'], ['body', 'text'] ...",
        "msg": "What is wrong and the accepted form",
        "type": "Machine-readable error type",
        "input": "The value received (omitted for large inputs)",
        "ctx": "Details of the violated constraint"}),
}


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` describe the validation-error schemas too."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _describe_errors(schema.get("components", {}).get("schemas", {}))
            app.openapi_schema = schema
        return app.openapi_schema

    # FastAPI's documented way to extend the schema is replacing the method on the instance
    app.openapi = openapi  # type: ignore[method-assign]


def _describe_errors(schemas: dict[str, Any]) -> None:
    for name, (description, fields) in ERROR_DESCRIPTIONS.items():
        if name not in schemas:
            continue
        schemas[name]["description"] = description
        for field, text in fields.items():
            if field in schemas[name].get("properties", {}):
                schemas[name]["properties"][field]["description"] = text
