"""Validation errors in the runner's words: the key path, the line, what was expected,
a did-you-mean."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any, get_args, get_origin

import yaml
from pydantic import (
    BaseModel,
)

from .reading import YAML11_NUMBER, YAML11_WORDS, line_of
from .schema import Scenario


def _model_at(loc: tuple, root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The pydantic model that owns the last element of a key path (for suggestions);
    ``root``: the file's top-level model (a squad's; default :class:`Scenario`)."""
    model: Any = root or Scenario
    keyed = False  # the last field maps keys to models (sessions.long_run.minutes)
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if keyed:  # a key of the mapping: its value is the model
            keyed = False
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            field = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        keyed = get_origin(field.annotation) is dict
        model = _inner_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside ``X``, ``list[X]``, ``X | None`` or ``list[date | X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _real_loc(loc: tuple, data: Any, missing: bool = True) -> tuple:
    """Drop pydantic's union-branch tags from a loc: keep only keys present in the data."""
    out = []
    node = data
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif missing and i == len(loc) - 1 and isinstance(node, dict):
            out.append(part)  # a missing key
    return tuple(out)


def format_error(
    source: str, err: dict, tree: yaml.Node | None, data: Any, root: type[BaseModel] | None = None
) -> str:
    loc = _real_loc(err["loc"], data, err["type"] == "missing")
    path = ".".join(str(p) for p in loc) or "(top level)"
    line = line_of(tree, loc) if tree is not None else None
    where = f"{source}: {path}" + (f" (line {line})" if line else "")
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(loc, root)
        options = _field_names(owner) if owner else []
        hint = _suggest(loc[-1], options) if loc else ""
        known = f"; expected one of: {', '.join(options)}" if options and not hint else ""
        return f"{where}: unknown key{hint}{known}"
    if kind == "literal_error" and not (
        isinstance(value, str) and YAML11_NUMBER.fullmatch(value) and loc[-1:] == ("distance",)
    ):
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip(" '")]
        if "[key]" in err["loc"]:
            return f"{where}: unknown key {_shown(value)}{_suggest(value, options)}; expected one of: {expected}"
        km = ", or a number of km" if loc and loc[-1] == "distance" else ""
        return (
            f"{where}: got {_shown(value)}{_suggest(value, options)}; "
            f"expected one of: {expected}{km}"
        )
    if kind == "missing":
        return f"{where}: required key is missing"
    if kind in ("date_from_datetime_parsing", "date_parsing") and isinstance(value, str):
        return f"{where}: {_shown(value)} is not a date in the calendar; expected YYYY-MM-DD"
    msg = err["msg"].removeprefix("Value error, ")
    if isinstance(value, str) and YAML11_NUMBER.fullmatch(value):
        plain = value.replace("_", "")
        base = {"0b": ("binary", 2), "0x": ("hexadecimal", 16), "0o": ("octal", 8)}
        prefix = plain.lstrip("+-")[:2].lower()
        if prefix in base:
            word, radix = base[prefix]
            number = int(plain.replace(prefix, "", 1), radix)
            return f"{where}: {value} is a {word} number ({number}); expected a plain number such as {number}"
        if "." in plain and ":" not in plain:
            number = float(plain)
            return f"{where}: {value} is zero-padded or has a digit separator; expected a plain number such as {number:g}"
        if ":" in plain:
            return f"{where}: {value} is a time of day (YAML 1.1 reads it as {_sexagesimal(plain)}); expected a plain number"
        if not value.lstrip("+-").startswith("0"):
            return (
                f"{where}: {value} has a digit separator (YAML 1.1 reads it as "
                f"{int(plain)}, YAML 1.2 as text); expected a plain number such as {int(plain)}"
            )
        return (
            f"{where}: {value} is zero-padded (YAML 1.1 reads it as octal); "
            f"expected a plain number such as {int(plain)}"
        )
    if isinstance(value, str) and value.lower() in YAML11_WORDS:
        expected = {"model_type": "off, on, a number or a mapping", "dict_type": "a mapping"}
        what = expected.get(kind, "a number" if kind.startswith(("int", "float")) else None)
        if what:
            return f"{where}: got {value!r} (a yes/no word); expected {what}"
    shown = ""
    if value is not None and not isinstance(value, (dict, list)) and str(value) not in msg:
        shown = f" (got {_shown(value)})"
    return f"{where}: {msg}{shown}"


def _sexagesimal(text: str) -> int:
    """What YAML 1.1 makes of ``1:30`` (90): base-60 digits."""
    sign = -1 if text.startswith("-") else 1
    total = 0
    for part in text.lstrip("+-").split(":"):
        total = total * 60 + int(part)
    return sign * total


def _shown(value: Any) -> str:
    """A value as the file wrote it: a date as 2027-01-05 (never ``datetime.date(…)``),
    text quoted, numbers and the rest as written."""
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) > 60:  # a value of thousands of characters: its start and its length
        return f"{text[:40]}… ({len(str(value))} characters)"
    return text


def dedupe_keys(errors: list[dict], data: Any) -> list[dict]:
    """Union branches report the same place several times; keep the most useful."""
    best: dict[tuple, dict] = {}
    for err in errors:
        key = _real_loc(err["loc"], data, err["type"] == "missing")
        # an unknown key, or a rule's own words (a validator's) beat a branch's type error
        if (
            key not in best
            or err["type"] == "extra_forbidden"
            or (err["type"] == "value_error" and best[key]["type"] != "extra_forbidden")
        ):
            best[key] = err
    # a branch that failed at a shallower place than another branch is noise
    return [
        err
        for key, err in best.items()
        if not any(len(other) > len(key) and other[: len(key)] == key for other in best)
    ]
