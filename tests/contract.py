"""Check `/api` response bodies against the seller API contract (OpenAPI 3.1).

The contract is read once from `<repo>/../shared/contracts/`. It declares no nullability,
while mercato answers null where it has no data: every property is made to also accept null
(`"null"` added to its type, None to its enum). `required` is kept: a missing key fails.
Enums that the contract only states in descriptions are asserted by the tests themselves.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CONTRACT_PATH = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "contracts"
    / "mirakl-mmp-seller-openapi.json"
)
CONTRACT_URI = "urn:mercato:mirakl-mmp-seller-openapi"
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_KEYS = ("items", "not", "additionalProperties", "contains")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, also accepting null."""
    if "$ref" in schema or ("type" not in schema and "enum" not in schema):
        # A reference or a composition has no type of its own to widen.
        return {"anyOf": [schema, {"type": "null"}]}
    widened = dict(schema)
    if "type" in widened:
        types = widened["type"] if isinstance(widened["type"], list) else [widened["type"]]
        widened["type"] = [*types, "null"] if "null" not in types else types
    if "enum" in widened and None not in widened["enum"]:
        widened["enum"] = [*widened["enum"], None]
    return widened


def _with_nullable_properties(schema: Any) -> Any:
    """A copy of `schema` whose properties, at every depth, also accept null."""
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    if isinstance(schema.get("properties"), dict):
        result["properties"] = {
            name: _nullable(_with_nullable_properties(sub))
            for name, sub in schema["properties"].items()
        }
    for key in _SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            result[key] = [_with_nullable_properties(sub) for sub in schema[key]]
    for key in _SUBSCHEMA_KEYS:
        if isinstance(schema.get(key), dict):
            result[key] = _with_nullable_properties(schema[key])
    return result


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _nullable_json_responses(document: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Widen every JSON response schema in place; their JSON pointers by (operation, status)."""
    pointers = {}
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            for status, response in operation.get("responses", {}).items():
                media = response.get("content", {}).get("application/json", {})
                if "schema" in media:
                    media["schema"] = _with_nullable_properties(media["schema"])
                    pointers[(operation["operationId"], status)] = _pointer(
                        "paths",
                        path,
                        method,
                        "responses",
                        status,
                        "content",
                        "application/json",
                        "schema",
                    )
    return pointers


@dataclass(frozen=True)
class Contract:
    document: dict[str, Any]
    registry: Registry
    pointers: dict[tuple[str, str], str]


@cache
def _contract() -> Contract:
    if not CONTRACT_PATH.exists():
        pytest.skip(f"The seller API contract is not available at {CONTRACT_PATH}.")
    document = json.loads(CONTRACT_PATH.read_text(encoding="utf-8"))
    schemas = document.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        schemas[name] = _with_nullable_properties(schema)
    pointers = _nullable_json_responses(document)
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    return Contract(document, Registry().with_resource(CONTRACT_URI, resource), pointers)


def contract_operation(operation_id: str) -> tuple[str, str, dict[str, Any]]:
    """The method, path and description of an operation of the contract."""
    for path, path_item in _contract().document["paths"].items():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return method.upper(), path, operation
    raise AssertionError(f"The contract has no operation {operation_id}.")


def _leaves(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """The errors themselves, rather than "not valid under any of the given schemas".

    A property widened to accept null is an anyOf: when its value is not null, what matters
    is why the contract's own schema rejected it.
    """
    for error in errors:
        branch = [
            sub
            for sub in error.context or []
            if not (sub.validator == "type" and sub.validator_value == "null")
        ]
        if error.validator == "anyOf" and branch:
            yield from _leaves(branch)
        else:
            yield error


def contract_errors(operation_id: str, status: int, body: object) -> list[str]:
    """Every way in which `body` breaks the operation's response schema."""
    contract = _contract()
    pointer = contract.pointers.get((operation_id, str(status)))
    if pointer is None:
        raise AssertionError(f"The contract has no JSON response {status} for {operation_id}.")
    # Referenced from inside the contract, the schema's "#/components/..." resolve there.
    validator = Draft202012Validator(
        {"$ref": f"{CONTRACT_URI}#{pointer}"}, registry=contract.registry
    )
    # A schema that both states a type and references one reports a mismatch twice.
    messages = {
        (tuple(str(p) for p in error.absolute_path), error.message)
        for error in _leaves(validator.iter_errors(body))
    }
    return [f"{'/'.join(path) or '<body>'}: {message}" for path, message in sorted(messages)]


def assert_matches_contract(operation_id: str, status: int, body: object) -> None:
    errors = contract_errors(operation_id, status, body)
    assert not errors, f"{operation_id} {status} breaks the contract:\n" + "\n".join(errors)
