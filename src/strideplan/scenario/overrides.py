"""``--set KEY=VALUE`` overrides: parsing, applying to raw data, and naming them in
problems as the user spelled them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from .fields import ScenarioError
from .reading import load_yaml


def parse_value(text: str) -> Any:
    """A ``--set`` value, read as a YAML scalar or flow collection (``3``, ``off``, ``[1, 2]``)."""
    try:
        return load_yaml(text)[0]
    except (yaml.YAMLError, RecursionError, ValueError):
        return text


def apply_override(data: dict, dotted: str, value: Any) -> None:
    """Set ``a.b.c`` in nested data, creating mappings as needed (``races.0.date``
    indexes into a list)."""
    parts = dotted.split(".")
    node: Any = data
    for part, nxt in zip(parts[:-1], parts[1:]):
        if isinstance(node, list):
            index = _list_index(node, part, dotted)
            node = node[index]
            continue
        if not isinstance(node.get(part), (dict, list)) or (
            isinstance(node.get(part), list) and not nxt.isdigit()
        ):
            node[part] = {}
        node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[_list_index(node, last, dotted)] = value
    else:
        node[last] = value


def _list_index(node: list, part: str, dotted: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ScenarioError(
            [f"--set {dotted}: '{part}' is not an index of a list of {len(node)} item(s)"]
        )
    return int(part)


def parse_assignments(items: list[str] | tuple[str, ...], origin: str = "--set") -> dict[str, Any]:
    """``KEY=VALUE`` strings -> {dotted key: value}."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key or any(not p for p in key.split(".")):
            raise ScenarioError(
                [f"{origin} {item!r}: expected KEY=VALUE, e.g. rules.strength_per_week=3"]
            )
        out[key] = parse_value(value.strip())
    return out


_PROBLEM = re.compile(r"(?P<path>[^\s:]+)(?: \(line \d+\))?: (?P<msg>.*)", re.S)


def name_overrides(problems: list[str], source: str, overrides: dict[str, Any]) -> list[str]:
    """Problems at a key an override set name the ``--set`` in the user's spelling (never
    the file's line for a value the file does not hold); the rest end with the overrides."""
    out, rest = [], False
    for problem in problems:
        found = _PROBLEM.fullmatch(problem.removeprefix(f"{source}: "))
        path = found["path"] if found and problem.startswith(f"{source}: ") else None
        key = next(
            (k for k in overrides if path and (path == k or f"{path}.".startswith(f"{k}."))),
            None,
        )
        if key is None:
            out.append(problem)
            rest = True
        else:
            out.append(
                f"{source}: {path} (from --set {spelled(key, overrides[key])}): {found['msg']}"
            )
    if rest and overrides:
        keys = ", ".join(spelled(k, v) for k, v in overrides.items())
        out.append(f"  (after --set {keys})")
    return out


def spelled(key: str, value: Any) -> str:
    """``KEY=VALUE`` as a person writes it: dates ISO, lists in brackets, no Python repr."""

    def text(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, list):
            return "[" + ", ".join(text(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}: {text(x)}" for k, x in v.items()) + "}"
        return "null" if v is None else str(v)

    return f"{key}={text(value)}"
