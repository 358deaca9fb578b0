"""A squad file: several athletes who share a gym and a coach (SPEC, Squads and batches).

A squad file holds ``defaults`` (any keys an athlete entry may hold), ``athletes`` (one
entry per athlete: the athlete keys of a scenario plus ``runs``, ``races``,
``race_season``, ``sessions``, ``rules``, ``preferences``), ``gym.capacity`` (at most
that many heavy-legs sessions on a weekday, across the squad) and ``coach.power_days``
(the group plyometrics days). Each athlete becomes a plain :class:`Scenario`: the
defaults merged into the entry (an entry's key replaces the default's, except ``rules``
and ``sessions``, which merge rule by rule and session by session), ``coach.power_days``
as ``rules.power_days`` (an entry's own ``rules.power_days`` wins over the coach's, the
coach's over the defaults'). Errors name the file and the athlete's key path
(``athletes.3.availability.fri``), with the line where the file gives one.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationError, create_model, field_validator

from ..scenario import (
    ALL_DAY,
    Athlete,
    Name,
    PlanDate,
    Scenario,
    ScenarioError,
    SolverSettings,
    StrictModel,
    Weekday,
    Weeks,
    apply_override,
    dedupe_keys,
    format_error,
    line_of,
    load_raw,
    monday,
    name_overrides,
    shape_problems,
    validate,
    with_default_availability,
)

#: the most athletes one squad model holds (a federation's members go through `batch`)
MAX_ATHLETES = 500
#: athlete keys of an entry (as under a scenario's ``athlete:``)
ATHLETE_KEYS = tuple(Athlete.model_fields)
#: plan keys of an entry (as at a scenario's top level)
PLAN_KEYS = ("runs", "races", "race_season", "sessions", "rules", "preferences")
#: keys merged item by item (rule by rule, session by session) rather than replaced
MERGED_BY_ITEM = ("rules", "sessions")
#: mapping-valued keys an override may reach into on an entry that inherits them
INHERITED_MAPPINGS = ("availability", "runs", "preferences")

Capacity = Annotated[int, Field(strict=True, ge=0, le=MAX_ATHLETES)]


def _entry_fields(name_required: bool) -> dict[str, Any]:
    """The fields of an athlete entry, taken from the scenario's own models (so the
    squad file accepts exactly what a scenario accepts, with the same ranges)."""
    fields: dict[str, Any] = {}
    for key, info in Athlete.model_fields.items():
        if key == "name":
            if name_required:
                fields[key] = (Name, ...)
            continue
        fields[key] = (info.annotation, info)
    for key in PLAN_KEYS:
        info = Scenario.model_fields[key]
        fields[key] = (info.annotation, info)
    return fields


AthleteEntry = create_model(
    "AthleteEntry",
    __base__=StrictModel,
    __doc__="One athlete of a squad: athlete keys plus runs, races, sessions, rules, ...",
    **_entry_fields(name_required=True),
)
Defaults = create_model(
    "Defaults",
    __base__=StrictModel,
    __doc__="Keys merged into every athlete entry (any key an entry may hold but name).",
    **_entry_fields(name_required=False),
)


class GymSettings(StrictModel):
    """The squad's gym: at most ``capacity[day]`` heavy-legs sessions on that weekday."""

    capacity: dict[Weekday, Capacity] = Field(default_factory=dict)


class CoachSettings(StrictModel):
    """The coach's group sessions: plyometrics only on ``power_days`` (hard)."""

    power_days: list[Weekday] | None = Field(default=None, max_length=7)


class SquadFile(StrictModel):
    """The squad file's schema (validated before each athlete's scenario is built)."""

    name: Name = "Squad"
    start: PlanDate
    weeks: Weeks
    defaults: Defaults = Field(default_factory=Defaults)
    athletes: list[AthleteEntry] = Field(min_length=1, max_length=MAX_ATHLETES)
    gym: GymSettings = Field(default_factory=GymSettings)
    coach: CoachSettings = Field(default_factory=CoachSettings)
    solver: SolverSettings = Field(default_factory=SolverSettings)
    variants: dict[Name, dict[str, Any]] = Field(default_factory=dict, max_length=100)

    @field_validator("start")
    @classmethod
    def _monday(cls, value: date) -> date:
        return monday(value)


@dataclass
class Squad:
    """A validated squad: each athlete's plain scenario, the gym and the coach."""

    name: str
    start: date
    weeks: int
    names: list[str]
    athletes: list[Scenario]
    capacity: dict[str, int]
    power_days: list[str] | None
    solver: SolverSettings
    #: the squad's raw data after overrides (each athlete's plain data comes from it)
    raw: dict = field(repr=False)
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)

    def index(self, name: str) -> int:
        """The position of the athlete called ``name`` (KeyError if none)."""
        return self.names.index(name)

    def athlete_data(self, i: int) -> dict:
        """Athlete ``i`` as a plain scenario's raw data (what ``squad-athlete`` prints)."""
        return athlete_data(self.raw, i)


def athlete_data(raw: dict, i: int) -> dict:
    """Merge the defaults into entry ``i`` and shape it as a plain scenario's data."""
    defaults = raw.get("defaults") or {}
    entry = raw["athletes"][i]
    merged = {**defaults, **entry}
    for key in MERGED_BY_ITEM:
        if key in defaults or key in entry:
            merged[key] = {**(defaults.get(key) or {}), **(entry.get(key) or {})}
    power_days = (raw.get("coach") or {}).get("power_days")
    if power_days is not None and "power_days" not in (entry.get("rules") or {}):
        merged["rules"] = {**merged.get("rules", {}), "power_days": list(power_days)}
    name = entry.get("name", "Athlete")
    plain: dict[str, Any] = {
        "name": f"{raw.get('name', 'Squad')} — {name}"[:200],
        "start": raw.get("start"),
        "weeks": raw.get("weeks"),
        "athlete": {k: merged[k] for k in ATHLETE_KEYS if k in merged},
    }
    plain.update({k: merged[k] for k in PLAN_KEYS if k in merged})
    if "solver" in raw:
        plain["solver"] = raw["solver"]
    return copy.deepcopy(plain)


#: stands for the file name in an athlete's own error messages until they are re-pathed
_SENTINEL = "\x00athlete"


def _relocate(problem: str, raw: dict, i: int, source: str, tree: yaml.Node | None) -> str:
    """An error found in athlete ``i``'s plain scenario, re-pathed into the squad file
    (``athlete.availability.fri`` -> ``athletes.3.availability.fri``)."""
    body = problem.removeprefix(f"{_SENTINEL}: ")
    path, sep, message = body.partition(": ")
    if not sep:
        return f"{source}: athletes.{i}: {body}"
    parts: list[Any] = [int(p) if p.isdigit() else p for p in path.split(".")]
    if parts and parts[0] == "athlete":
        parts = parts[1:]
    entry = raw["athletes"][i]
    defaults = raw.get("defaults") or {}
    key = parts[0] if parts else None
    name = entry.get("name", "?")
    if key in ("start", "weeks", "name", "solver"):
        loc: tuple = tuple(parts)
        note = ""
    elif key in MERGED_BY_ITEM and len(parts) > 1 and parts[1] not in (entry.get(key) or {}):
        if key == "rules" and parts[1] == "power_days":
            loc = ("coach", "power_days")
        else:
            loc = ("defaults", *parts)
        note = f" (for athletes.{i}, {name})"
    elif key in entry or key not in defaults:
        loc, note = ("athletes", i, *parts), ""
    else:
        loc, note = ("defaults", *parts), f" (for athletes.{i}, {name})"
    line = line_of(tree, loc) if tree is not None else None
    where = ".".join(str(p) for p in loc) + (f" (line {line})" if line else "")
    return f"{source}: {where}: {message}{note}"


def name_stem(name: str) -> str:
    """The file name an athlete's plan gets: ASCII letters, digits, ``-``, ``_`` and
    ``.`` only (accents dropped, anything else ``_``), never hidden, at most 80 long.
    Two athletes whose names give one stem (in any case) are one name too many."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name)
    return re.sub(r"\.{2,}", ".", stem).strip("._")[:80] or "athlete"


def validate_squad(data: dict, source: str, tree: yaml.Node | None = None) -> Squad:
    """Validate a squad's raw data into a :class:`Squad` or raise :class:`ScenarioError`."""
    problems = shape_problems(data, source, tree)
    if problems:
        raise ScenarioError(problems)
    try:
        file = SquadFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(
            [
                format_error(source, e, tree, data, SquadFile)
                for e in dedupe_keys(exc.errors(), data)
            ]
        ) from None
    names = [a.name for a in file.athletes]
    stems = [name_stem(name).lower() for name in names]
    for i, name in enumerate(names):
        first = stems.index(stems[i])
        if first < i:
            line = line_of(tree, ("athletes", i, "name")) if tree is not None else None
            same = (
                "is also the name of"
                if names[first] == name
                else f"names the same plan file ({name_stem(name)}.xlsx) as"
            )
            problems.append(
                f"{source}: athletes.{i}.name"
                + (f" (line {line})" if line else "")
                + f": {name!r} {same} athletes.{first} ({names[first]!r}); expected names "
                "that differ in more than case, accents or spaces (they name the athletes' "
                "plans and files)"
            )
    athletes = []
    for i in range(len(names)):
        try:
            athletes.append(validate(with_default_availability(athlete_data(data, i)), _SENTINEL))
        except ScenarioError as exc:
            problems += [_relocate(p, data, i, source, tree) for p in exc.problems]
    problems += _variant_problems(data, file, source, tree)
    if problems:
        raise ScenarioError(problems)
    return Squad(
        file.name,
        file.start,
        file.weeks,
        names,
        athletes,
        dict(file.gym.capacity),
        file.coach.power_days,
        file.solver,
        data,
        dict(file.variants),
    )


def _variant_problems(data: dict, file: SquadFile, source: str, tree) -> list[str]:
    """Each ``variants:`` entry must give a valid squad too (caught before `compare`)."""
    problems = []
    base = {k: v for k, v in data.items() if k != "variants"}
    for name, overrides in file.variants.items():
        try:
            squad_with_overrides(base, {str(k): v for k, v in overrides.items()}, source)
        except ScenarioError as exc:
            line = line_of(tree, ("variants", name)) if tree is not None else None
            where = f"{source}: variants.{name}" + (f" (line {line})" if line else "")
            problems += [f"{where}: {p.removeprefix(source + ': ')}" for p in exc.problems]
    return problems


def _athlete_position(data: dict, part: str, dotted: str) -> str:
    """``athletes.Sam.level`` -> ``athletes.0.level``: an athlete named in place of its index."""
    if part.isdigit():
        return part
    names = [e.get("name") if isinstance(e, dict) else None for e in data.get("athletes") or []]
    if part in names:
        return str(names.index(part))
    raise ScenarioError(
        [
            f"--set {dotted}: no athlete is called {part!r}; expected an index or one of: "
            + ", ".join(str(n) for n in names)
        ]
    )


def _inherit(data: dict, parts: list[str]) -> None:
    """Before an override reaches inside a key an entry inherits, copy the inherited
    value into the entry, so ``athletes.0.availability.fri=0`` means "the squad's week
    but Friday" and not "only a Friday of 0 minutes"."""
    defaults = data.get("defaults")
    if parts[0] == "defaults" and len(parts) > 2 and parts[1] == "availability":
        if isinstance(defaults, dict) and "availability" not in defaults:
            defaults["availability"] = dict(ALL_DAY)
    if parts[0] != "athletes" or len(parts) < 4:
        return
    athletes = data.get("athletes")
    if not isinstance(athletes, list) or not parts[1].isdigit() or int(parts[1]) >= len(athletes):
        return
    entry, key = athletes[int(parts[1])], parts[2]
    defaults = defaults if isinstance(defaults, dict) else {}
    if not isinstance(entry, dict):
        return
    if key not in entry:
        if key == "availability":
            entry[key] = copy.deepcopy(defaults.get(key, ALL_DAY))
        elif key in INHERITED_MAPPINGS and isinstance(defaults.get(key), dict):
            entry[key] = copy.deepcopy(defaults[key])
    own = entry.get(key)
    inherited = defaults.get(key)
    if key in MERGED_BY_ITEM and len(parts) > 4 and isinstance(inherited, dict):
        own = entry.setdefault(key, {}) if own is None else own
        if isinstance(own, dict) and parts[3] not in own and parts[3] in inherited:
            own[parts[3]] = copy.deepcopy(inherited[parts[3]])


def squad_with_overrides(
    data: dict, overrides: dict[str, Any], source: str, tree: yaml.Node | None = None
) -> Squad:
    """Apply dotted overrides to a squad's raw data and validate.

    Keys reach anywhere in the file: ``gym.capacity.sat=7``, ``coach.power_days=[tue]``,
    ``defaults.rules.strength_per_week=3``, ``athletes.0.level=beginner`` (an athlete
    may be named instead of indexed: ``athletes.Sam.availability.fri=0``).
    """
    data = copy.deepcopy(data)
    for key, value in overrides.items():
        parts = key.split(".")
        if parts[0] == "athletes" and len(parts) > 1:
            parts[1] = _athlete_position(data, parts[1], key)
        _inherit(data, parts)
        apply_override(data, ".".join(parts), value)
    try:
        return validate_squad(data, source, tree)
    except ScenarioError as exc:
        exc.problems[:] = name_overrides(exc.problems, source, overrides)
        raise


def load_squad(path: str | Path, overrides: dict[str, Any] | None = None) -> Squad:
    """Load, override and validate a squad file."""
    data, tree = load_raw(path)
    return squad_with_overrides(data, overrides or {}, str(path), tree)


def athlete_yaml(squad: Squad, name: str) -> str:
    """Athlete ``name``'s plain scenario as YAML (defaults merged, power_days included)."""
    data = squad.athlete_data(squad.index(name))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)


def squad_schema() -> dict:
    """JSON Schema of squad files (``strideplan schema --squad``)."""
    return SquadFile.model_json_schema(by_alias=True)
