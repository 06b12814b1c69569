"""The query parameters of the web views: one table read both to parse requests and to describe
them in the OpenAPI document, so the two cannot disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_QUERY_CHARS = 1000
MAX_LIMIT = 1000
MAX_REPEATS = 20  # each value of a repeated filter is a pass over every paragraph


class BadRequest(ValueError):
    """A parameter the server refuses (status 400); the message names it and the problem."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    integer: bool = False
    repeatable: bool = False  # may be given several times: session=67&session=70
    required: bool = False
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    max_chars: int = MAX_QUERY_CHARS
    choices: tuple[str, ...] = ()  # for the description: the engine checks them, in its words

    def parse(self, values: list[str]) -> object:
        if not values:
            if self.required:
                raise BadRequest(f"parameter {self.name} is required")
            return [] if self.repeatable else self.default
        if len(values) > 1 and not self.repeatable:
            raise BadRequest(f"parameter {self.name} is given {len(values)} times; give it once")
        if len(values) > MAX_REPEATS:
            raise BadRequest(
                f"parameter {self.name} is given {len(values)} times; the most is {MAX_REPEATS}"
            )
        parsed = [self._value(value) for value in values]
        return parsed if self.repeatable else parsed[0]

    def _value(self, value: str) -> object:
        if len(value) > self.max_chars:
            raise BadRequest(
                f"parameter {self.name} is {len(value)} characters long; "
                f"the most is {self.max_chars}"
            )
        if not self.integer:
            return value
        try:
            number = int(value)
        except ValueError:
            raise BadRequest(f"parameter {self.name}={value!r} is not a whole number") from None
        if self.minimum is not None and number < self.minimum:
            raise BadRequest(f"parameter {self.name}={number} is below {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise BadRequest(f"parameter {self.name}={number} is above {self.maximum}")
        return number

    def openapi(self) -> dict:
        schema: dict = {"type": "integer" if self.integer else "string"}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if not self.integer:
            schema["maxLength"] = self.max_chars
        if self.default is not None:
            schema["default"] = self.default
        if self.repeatable:
            schema = {"type": "array", "items": schema}
        return {
            "name": self.name,
            "in": "query",
            "required": self.required,
            "description": self.description,
            "schema": schema,
            **({"style": "form", "explode": True} if self.repeatable else {}),
        }


def parse_params(params: Sequence[Param], given: list[tuple[str, str]]) -> dict[str, object]:
    """``given`` (the request's query string, in order) checked against ``params``."""
    known = {param.name for param in params}
    for name, _ in given:
        if name not in known:
            names = ", ".join(param.name for param in params) or "none"
            raise BadRequest(f"unknown parameter {name!r}; this page takes: {names}")
    return {
        param.name: param.parse([value for name, value in given if name == param.name and value])
        for param in params
    }
