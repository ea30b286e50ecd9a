"""The OpenAPI 3.1 document, generated from the endpoint declarations and pydantic's JSON Schemas.

No second description of the API exists: each operation's parameters, body, answers and security come
from the `Endpoint` its view was declared with (web/api.py), and every schema from the same pydantic
models that validate the input and serialise the answers.
"""

import re

from pydantic.json_schema import models_json_schema

from .api import PUBLIC_READ, ErrorDetail, ValidationErrors, declaration_of
from .validation import FORM

TITLE = "Loop.in API"
API_VERSION = "1.0.0"
BEARER = "bearer"
OAUTH2 = "oauth2"
OAUTH2_TOKEN_URL = "loopin.oauth2_token_url"  # app.extensions key: set by the feature that issues tokens
SCHEMA_REF = "#/components/schemas/{model}"
PATH_PARAMETER = re.compile(r"<(?:([^<>:]+):)?([^<>:]+)>")
CONVERTER_TYPES = {"int": "integer", "float": "number"}
ANSWER_HEADERS = {
    401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds until the limit resets", "schema": {"type": "integer"}}},
    # The database's 503s (web/errors.py); an endpoint with an answer of its own for 503 (readiness) has none.
    503: {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}},
}


def openapi_path(rule):
    """Werkzeug's `/auth/sessions/<sid>` as OpenAPI's `/auth/sessions/{sid}`."""
    return PATH_PARAMETER.sub(lambda match: "{" + match.group(2) + "}", rule)


def declared_operations(app):
    """(rule, method, endpoint name, view, declaration) of every declared route, in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        declaration = declaration_of(view)
        if declaration is not None:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method.lower(), view, declaration


def schema_pairs(declaration):
    """The (model, mode) pairs this operation's schemas come from: input validates, answers serialise."""
    for model in (declaration.body, declaration.form, declaration.query, declaration.path):
        if model is not None:
            yield model, "validation"
    for model, _description in declaration.responses().values():
        if model is not None:
            yield model, "serialization"


def parameters(rule, declaration, schemas):
    """Path parameters (from the path model, else the rule's converters) and query parameters."""
    found = []
    for converter, name in PATH_PARAMETER.findall(rule.rule):
        schema = {"type": CONVERTER_TYPES.get(converter, "string")}
        if declaration.path is not None:
            schema = schemas[(declaration.path, "validation")]["properties"][name]
        found.append({"name": name, "in": "path", "required": True, "schema": schema})
    if declaration.query is not None:
        query = schemas[(declaration.query, "validation")]
        for name, schema in query["properties"].items():
            found.append({"name": name, "in": "query", "required": name in query.get("required", ()),
                          "schema": schema})
    return found


def operation(rule, view, declaration, refs, schemas, security_schemes):
    # The docstring's first paragraph is the summary, the rest the description.
    summary, _, description = (view.__doc__ or "").strip().partition("\n\n")
    summary = " ".join(line.strip() for line in summary.splitlines())
    answers = {}
    for status, (model, text) in declaration.responses().items():
        answer = {"description": text}
        if model is not None:
            answer["content"] = {"application/json": {"schema": refs[(model, "serialization")]}}
        if status in ANSWER_HEADERS and (status != 503 or model is ErrorDetail):
            answer["headers"] = ANSWER_HEADERS[status]
        answers[str(status)] = answer
    document = {"tags": list(declaration.tags), "summary": summary.strip(),
                "operationId": rule.endpoint.replace(".", "_"), "responses": answers}
    if description.strip():
        document["description"] = "\n".join(line.strip() for line in description.strip().splitlines())
    found = parameters(rule, declaration, schemas)
    if found:
        document["parameters"] = found
    if declaration.body is not None:
        content = {"application/json": {"schema": refs[(declaration.body, "validation")]}}
        if declaration.form is not None:
            content[FORM] = {"schema": refs[(declaration.form, "validation")]}
        document["requestBody"] = {"required": not declaration.body_optional, "content": content}
    if declaration.needs_caller:
        schemes = [{name: []} for name in security_schemes]
        # A PUBLIC_READ endpoint takes a token but (with the setting on) does not need one.
        document["security"] = [*schemes, {}] if declaration.auth == PUBLIC_READ else schemes
    return document


def security_schemes(app):
    """Bearer tokens, and (when a feature names its token endpoint) the OAuth2 password flow, which is
    what Swagger UI's Authorize dialog signs in with."""
    schemes = {BEARER: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    token_url = app.extensions.get(OAUTH2_TOKEN_URL)
    if token_url:
        schemes[OAUTH2] = {"type": "oauth2", "flows": {"password": {"tokenUrl": token_url, "scopes": {}}}}
    return schemes


def build_openapi(app):
    """The whole document for `app`'s declared routes (built once per app, on first request)."""
    operations = list(declared_operations(app))
    pairs = {(ValidationErrors, "serialization")}
    for *_, declaration in operations:
        pairs.update(schema_pairs(declaration))
    pairs = sorted(pairs, key=lambda pair: (pair[0].__name__, pair[1]))
    refs, definitions = models_json_schema(pairs, ref_template=SCHEMA_REF)
    components = definitions.get("$defs", {})
    # Inline copies of query and path models, to read their fields as parameters.
    schemas = {pair: components[ref["$ref"].rsplit("/", 1)[1]] for pair, ref in refs.items()}
    security = security_schemes(app)
    paths = {}
    for rule, method, view, declaration in operations:
        paths.setdefault(openapi_path(rule.rule), {})[method] = operation(rule, view, declaration, refs, schemas,
                                                                         security)
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": API_VERSION},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": security},
    }
