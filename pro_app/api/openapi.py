"""The OpenAPI 3.0 document of the API, generated from the export tables' variables."""
from __future__ import annotations

from flask_babel import force_locale

from .. import __version__
from ..exports import schema
from .tables import API_TABLES, MAX_LIMIT

_TYPES = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
          "date": {"type": "string", "format": "date"}, "datetime": {"type": "string", "format": "date-time"}}
_ERROR = {"$ref": "#/components/schemas/Error"}


def _property(variable) -> dict:
    spec = dict(_TYPES[variable.kind], nullable=True, description=str(variable.label))
    if variable.coded:
        spec["enum"] = [value.code for value in variable.values] + [None]
    return spec


def _row_schema(variables) -> dict:
    return {"type": "object", "additionalProperties": False, "required": [v.name for v in variables],
            "properties": {v.name: _property(v) for v in variables}}


def _page_schema(name: str) -> dict:
    return {"type": "object", "additionalProperties": False, "required": ["table", "rows", "next_cursor"],
            "properties": {"table": {"type": "string", "enum": [name]},
                           "rows": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}_row"}},
                           "next_cursor": {"type": "string", "nullable": True,
                                           "description": "Pass as `cursor` for the next page; null at the end."}}}


def _responses(ok: dict) -> dict:
    errors = {"400": "Bad parameter (which one, and why)", "401": "No valid bearer token",
              "403": "Outside the token's rights", "429": "Rate limit reached"}
    result = {"200": {"description": "OK", "content": {"application/json": {"schema": ok}}}}
    result.update({code: {"description": text, "content": {"application/json": {"schema": _ERROR}}}
                   for code, text in errors.items()})
    return result


def _parameters(site_codes: list[str]) -> list[dict]:
    return [
        {"name": "limit", "in": "query", "required": False, "description": f"Rows per page, 1 to {MAX_LIMIT}.",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 1000}},
        {"name": "cursor", "in": "query", "required": False, "description": "From the previous page.",
         "schema": {"type": "string"}},
        {"name": "site", "in": "query", "required": False, "description": "Only this site (a site code).",
         "schema": {"type": "string", "enum": site_codes}},
    ]


def document(protocol) -> dict:
    with force_locale("en"):
        variables = {name: getattr(schema, name)(protocol) for name in API_TABLES}
        components = {f"{name}_row": _row_schema(v) for name, v in variables.items()}
        components.update({f"{name}_page": _page_schema(name) for name in API_TABLES})
    components["Error"] = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
    components["TableList"] = {"type": "object", "required": ["tables"], "properties": {"tables": {
        "type": "array", "items": {"type": "object", "required": ["name", "path"],
                                   "properties": {"name": {"type": "string"}, "path": {"type": "string"}}}}}}
    paths = {"/api/v1/tables": {"get": {"operationId": "listTables", "summary": "The tables this API serves",
                                        "responses": _responses({"$ref": "#/components/schemas/TableList"})}}}
    for name in API_TABLES:
        paths[f"/api/v1/tables/{name}"] = {"get": {
            "operationId": f"read_{name}", "summary": f"Rows of the {name} table, in export order",
            "parameters": _parameters([code for code, _ in protocol.sites]),
            "responses": _responses({"$ref": f"#/components/schemas/{name}_page"})}}
    return {"openapi": "3.0.3",
            "info": {"title": f"{protocol.code} study data (pro_app)", "version": __version__,
                     "description": "Read-only. Study codes only: no names, no phone numbers."},
            "servers": [{"url": "/"}], "paths": paths,
            "components": {"schemas": components, "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "flask api token EMAIL"}}},
            "security": [{"bearer": []}]}
