"""Reading a scenario file (YAML, JSON, TOML) hardened: bounded size, depth and
expansion, duplicate keys, YAML 1.1 surprises kept as text, the line of each key."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .fields import ScenarioError

# --------------------------------------------------------------------------- loading
#: a scenario is a few kilobytes; anything far larger is not one
MAX_FILE_BYTES = 1_000_000


MAX_DEPTH = 50


#: nodes after expanding YAML aliases (a "billion laughs" file stays small on disk)
MAX_NODES = 100_000


#: digits of an integer: any number of the schema fits in far fewer
MAX_DIGITS = 20


#: numbers only YAML 1.1 reads as numbers, and not as a person meant: 045 (octal 37),
#: 1:30 (90), 1_0 (10: YAML 1.2 and JSON have no digit separators), 0b1100 (binary, 12),
#: and the bases no plan is written in: 0x10 (16), 0o17 (15); zero-padded decimals 07.5
YAML11_NUMBER = re.compile(
    r"[-+]?(0[0-9_]+(\.[0-9_]*)?|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9]+_[0-9_.]*"
    r"|0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+)"
)


#: words YAML 1.1 reads as booleans; strideplan keeps them as words
YAML11_WORDS = ("yes", "no", "on", "off")


class _Loader(yaml.SafeLoader):
    """PyYAML's SafeLoader, stricter where the safe one crashes or guesses.

    Duplicate keys are an error naming the key and both lines (PyYAML keeps the last);
    an impossible date (2027-02-30) stays a string, so validation reports it at its
    key; an integer too long to mean anything is an error at its line.
    """


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` keys may be overridden on purpose
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:
            continue  # an unhashable key: construct_mapping reports it
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first given on line {first})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    data: dict = {}
    yield data
    data.update(loader.construct_mapping(node))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)  # validation names the key: not a valid date


def _construct_int(loader: _Loader, node: yaml.ScalarNode):
    digits = sum(c.isdigit() for c in str(node.value))
    if digits > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number with {digits} digits is out of any range", node.start_mark
        )
    if YAML11_NUMBER.fullmatch(str(node.value)):
        return str(node.value)  # octal 045, sexagesimal 1:30, 1_0: validation names the key
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _json_int(text: str) -> int | str:
    """A JSON integer; one too long to mean anything stays text, so validation names its
    key (Python refuses to convert more than 4300 digits, with no key)."""
    return int(text) if sum(c.isdigit() for c in text) <= MAX_DIGITS else text


def _construct_float(loader: _Loader, node: yaml.ScalarNode):
    if YAML11_NUMBER.fullmatch(str(node.value)):
        return str(node.value)  # 07.5, 1_000.5, 1:30.5: validation names the key
    return yaml.SafeLoader.construct_yaml_float(loader, node)


def _construct_bool(loader: _Loader, node: yaml.ScalarNode):
    """Only ``true``/``false`` are booleans (YAML 1.2); ``yes``, ``no``, ``on`` and ``off``
    stay words, so a rule's ``off`` means off and ``yes`` is never the number 1."""
    text = str(node.value)
    return text.lower() == "true" if text.lower() in ("true", "false") else text


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def _check_nodes(node: yaml.Node) -> None:
    """Refuse a node graph that recurses, nests deeper than MAX_DEPTH or expands (through
    aliases) to more than MAX_NODES nodes."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(n: yaml.Node, depth: int) -> int:
        if id(n) in on_path:
            raise yaml.composer.ComposerError(
                None, None, "an alias refers to a node that contains it (recursion)", n.start_mark
            )
        if depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nesting deeper than {MAX_DEPTH} levels", n.start_mark
            )
        if id(n) in sizes:
            return sizes[id(n)]
        on_path.add(id(n))
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        on_path.discard(id(n))
        sizes[id(n)] = total
        if total > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_NODES} values once aliases are expanded", n.start_mark
            )
        return total

    size(node, 0)


def _json_object(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"malformed JSON: duplicate key {key!r}")
        out[key] = value
    return out


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text with :class:`_Loader` after checking its node graph; return the
    data and the node tree (for line numbers)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _read_raw(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse the file; return the data and (for YAML) its node tree for line numbers."""
    if not path.exists():
        raise ScenarioError([f"{path}: file not found"])
    if path.is_dir():
        raise ScenarioError([f"{path}: is a directory, expected a scenario file"])
    try:
        if not path.is_file():
            raise ScenarioError([f"{path}: not a regular file, expected a scenario file"])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                [
                    f"{path}: {path.stat().st_size} bytes; a scenario file is at most "
                    f"{MAX_FILE_BYTES} bytes"
                ]
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"{path}: cannot read the file ({exc})"]) from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int), None
        if suffix == ".toml":
            return tomllib.loads(text), None
        return load_yaml(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([f"{path}: line {exc.lineno}: malformed JSON: {exc.msg}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: malformed TOML: {exc}"]) from None
    except yaml.reader.ReaderError as exc:  # a control character: the line and its key
        line = text.count("\n", 0, exc.position) + 1
        rows = text.split("\n")  # as the count above numbers them
        row = rows[line - 1] if line <= len(rows) else ""
        key = row.split(":", 1)[0].strip(" -") if ":" in row else ""
        at = f" (key {key})" if key and key.isprintable() else ""
        raise ScenarioError(
            [
                f"{path}: line {line}{at}: control character U+{exc.character:04X}; expected "
                "plain text (tabs and newlines aside)"
            ]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([f"{path}:{where}: malformed YAML: {problem}"]) from None
    except RecursionError:
        raise ScenarioError([f"{path}: nesting deeper than {MAX_DEPTH} levels"]) from None
    except ValueError as exc:  # e.g. a JSON integer of thousands of digits
        raise ScenarioError([f"{path}: {exc}"]) from None


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Line (1-based) of the deepest YAML node along a key path."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    line, nxt = key_node.start_mark.line + 1, value_node
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def is_squad(data: Any) -> bool:
    """Whether raw file data is a squad (it has ``athletes``) rather than one scenario."""
    return isinstance(data, dict) and "athletes" in data


def load_raw(path: str | Path) -> tuple[dict, yaml.Node | None]:
    """Read a scenario file into raw data (not yet validated)."""
    path = Path(path)
    data, tree = _read_raw(path)
    if not isinstance(data, dict):
        raise ScenarioError(
            [f"{path}: expected a mapping of keys (name, start, weeks, ...) at the top level"]
        )
    return data, tree
