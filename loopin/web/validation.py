"""Request input (body, query string, path), validated by pydantic v2 models and refused the way
FastAPI refuses it.

The original answered bad input with FastAPI's 422 list (`loc` prefixed with "body", "query" or
"path"); frontends read it, so it is reproduced exactly, with two hardenings: a body that is not JSON
gets 415, and a password is never echoed back in an error's `input`.
"""

import json
import math
import re

from flask import abort, g, request
from pydantic import ValidationError
from pydantic_core import ValidationError as CoreValidationError

from .errors import ValidationFailed

REDACTED = "[redacted]"
FORM = "application/x-www-form-urlencoded"
# Text no database column can hold: PostgreSQL refuses NUL, and a lone UTF-16 surrogate is not UTF-8.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Text must not contain NUL characters or lone UTF-16 surrogates"
JSON_PRIMITIVES = (str, int, float, bool, type(None))


def is_secret_field(name):
    return isinstance(name, str) and "password" in name.lower()


def redact_secrets(value):
    """A copy of a request payload with every password-like field's value hidden."""
    if isinstance(value, dict):
        return {k: REDACTED if is_secret_field(k) else redact_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_secrets(v) for v in value]
    return value


def fastapi_error(error, where="body"):
    """One pydantic error as FastAPI 0.109 renders it, `loc` under `where`, secrets and objects made safe."""
    rendered = dict(error)
    rendered["loc"] = [where, *error["loc"]]
    # A `missing` error's input is the enclosing object, whose own secrets redact_secrets hides.
    if error["type"] != "missing" and any(is_secret_field(part) for part in error["loc"]):
        rendered["input"] = REDACTED
    else:
        rendered["input"] = redact_secrets(error["input"])
    if "ctx" in error:
        # ctx may hold the exception a validator raised; JSON needs its message.
        rendered["ctx"] = {k: v if isinstance(v, JSON_PRIMITIVES) else str(v) for k, v in error["ctx"].items()}
    return rendered


def missing_body_errors():
    """FastAPI's answer to an empty or `null` body: one `missing` error at `["body"]`."""
    error = CoreValidationError.from_exception_data("body", [{"type": "missing", "loc": (), "input": None}])
    return [fastapi_error(e) for e in error.errors()]


def json_decode_errors(position, reason):
    # FastAPI's own shape for a body json.loads refused (it is not a pydantic error, so no url).
    return [{"type": "json_invalid", "loc": ["body", position], "msg": "JSON decode error",
             "input": {}, "ctx": {"error": reason}}]


def reject_constant(name):
    # NaN and Infinity are not JSON (RFC 8259); Python's json module accepts them unless told not to.
    raise ValueError(f"{name} is not valid JSON")


def finite_float(text):
    """A JSON number as a float; one too large for a float (`1e999`) is refused, since infinity could
    not be written back into any JSON answer."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"Number out of range: {text[:32]}")
    return value


def is_unstorable(text):
    return UNSTORABLE.search(text) is not None


def refuse_unstorable_text(value):
    """JSON's `\\u0000` and `\\ud800` escapes decode to text no database (and no hash or log) can hold:
    refuse it at the door instead of failing later with a 500."""
    if isinstance(value, str):
        if is_unstorable(value):
            raise ValueError(UNSTORABLE_MESSAGE)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_unstorable_text(key)
            refuse_unstorable_text(item)
    elif isinstance(value, list):
        for item in value:
            refuse_unstorable_text(item)


def refuse_unstorable_fields(values, where):
    """The same for query, path and form fields (strings by nature): FastAPI's 422 shape, per field."""
    errors = [{"type": "string_unstorable", "loc": [where, name], "msg": UNSTORABLE_MESSAGE, "input": value}
              for name, value in values.items() if isinstance(value, str) and is_unstorable(value)]
    if errors:
        raise ValidationFailed(errors)


def decode_json(raw):
    """The parsed body, or ValidationFailed with FastAPI's json_invalid error."""
    try:
        payload = json.loads(raw, parse_constant=reject_constant, parse_float=finite_float)
        refuse_unstorable_text(payload)
        return payload
    except json.JSONDecodeError as error:
        raise ValidationFailed(json_decode_errors(error.pos, error.msg)) from None
    except UnicodeDecodeError as error:
        raise ValidationFailed(json_decode_errors(error.start, "Invalid UTF-8")) from None
    except RecursionError:
        raise ValidationFailed(json_decode_errors(0, "Nested too deeply")) from None
    except ValueError as error:  # NaN/Infinity, a huge number, a lone surrogate
        raise ValidationFailed(json_decode_errors(0, str(error))) from None


def request_json():
    """The request body parsed once per request by the one parser above (views and rate-limit key
    functions share it); raises ValidationFailed like decode_json."""
    if "loopin_json" not in g:
        try:
            g.loopin_json = (decode_json(request.get_data(cache=True)), None)
        except ValidationFailed as failure:
            g.loopin_json = (None, failure)
    payload, failure = g.loopin_json
    if failure is not None:
        raise failure
    return payload


def parse_body(model, optional=False):
    """The request body validated as `model`; None for an absent body when it is `optional`. Raises
    ValidationFailed (422) or a 415 HTTP error."""
    raw = request.get_data(cache=True)
    if not raw:
        if optional:
            return None
        raise ValidationFailed(missing_body_errors())
    if not request.is_json:
        abort(415, description="Content-Type must be application/json")
    payload = request_json()
    if payload is None:  # a `null` body is a body, and not the object declared
        raise ValidationFailed(missing_body_errors())
    try:
        # from_attributes as FastAPI validates: a non-object body gets its `model_attributes_type` error.
        return model.model_validate(payload, from_attributes=True)
    except ValidationError as error:
        raise ValidationFailed([fastapi_error(e) for e in error.errors()]) from None


def parse_form(model):
    """A form-encoded body validated as `model` (FastAPI's 422 list, `loc` under "body")."""
    values = request.form.to_dict(flat=True)
    refuse_unstorable_fields(values, "body")
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise ValidationFailed([fastapi_error(e) for e in error.errors()]) from None


def parse_parameters(model, values, where):
    """Query or path parameters (strings) validated as `model`'s fields. FastAPI validates each parameter
    on its own, so a missing one reports `input: null`, not the whole set."""
    refuse_unstorable_fields(values, where)
    try:
        return model.model_validate(values)
    except ValidationError as error:
        errors = [fastapi_error(e, where) for e in error.errors()]
        for rendered in errors:
            if rendered["type"] == "missing":
                rendered["input"] = None
        raise ValidationFailed(errors) from None


def parse_query(model):
    # One value per name (the first), as FastAPI reads a scalar parameter; unknown names are ignored.
    return parse_parameters(model, request.args.to_dict(flat=True), "query")
