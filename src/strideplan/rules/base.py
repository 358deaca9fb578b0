"""What every rule is: a key, a plain-language label, a seed citation, a CP-SAT
encoding and a solver-free check."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from ..scenario import RuleSetting, Scenario

if TYPE_CHECKING:
    from ..calendar import Place
    from ..model import Build
    from ..plan import PlanView


@dataclass(frozen=True)
class Violation:
    """A hard rule broken by a plan, at a date (or a week)."""

    rule: str
    date: date | None
    message: str

    def __str__(self) -> str:
        when = self.date.strftime("%a %Y-%m-%d") if self.date else "plan"
        return f"{when}  {self.rule}: {self.message}"


class Rule:
    """One training principle. Subclasses set the class attributes and override
    :meth:`encode` (CP-SAT) and :meth:`check` (plain Python over a plan)."""

    key: ClassVar[str]
    label: ClassVar[str]
    source: ClassVar[str]
    kind: ClassVar[str] = "hard"  # hard | soft | prescription | input

    def setting(self, scenario: Scenario) -> RuleSetting | None:
        """The scenario's setting for this rule (None for input facts)."""
        return getattr(scenario.rules, self.key, None)

    def enabled(self, scenario: Scenario) -> bool:
        """Whether the rule is on in this scenario."""
        setting = self.setting(scenario)
        return setting is None or setting.enabled

    def effective_kind(self, scenario: Scenario) -> str:
        """hard / soft as tuned by the scenario (``hard: false`` makes a hard rule soft)."""
        setting = self.setting(scenario)
        if self.kind == "hard" and setting is not None and not setting.hard:
            return "soft"
        return self.kind

    def describe(self, scenario: Scenario) -> str:
        """The rule's current value in words, for the Rules sheet."""
        setting = self.setting(scenario)
        if setting is None:
            return "from the scenario"
        if not setting.enabled:
            return "off"
        fields = {
            k: v for k, v in setting.model_dump().items() if k not in ("enabled", "hard", "weight")
        }
        if set(fields) == {"min", "max"}:
            lo, hi = fields["min"], fields["max"]
            text = (
                f"at least {lo}" if hi is None else (f"exactly {lo}" if lo == hi else f"{lo}-{hi}")
            )
        else:
            text = ", ".join(
                f"{k} {', '.join(v) if isinstance(v, list) else v}" for k, v in fields.items()
            )
        if self.kind == "hard" and not setting.hard:
            text += " (soft)"
        return text or "on"

    #: whether a hard rule has a soft part (a weekly shortfall or a penalty per week)
    has_soft_part: ClassVar[bool] = False

    #: whether switching the rule off changes more than its own constraints and terms:
    #: the calendar (a race window, the return ramp, race season) or the model's
    #: variables (dynamic weeks). The why (:func:`strideplan.explain.binding_rules`)
    #: builds a model of its own without such a rule; any other rule it switches off in
    #: a copy of one guarded model.
    reshapes: ClassVar[bool] = False

    def weight(self, scenario: Scenario) -> int | None:
        """Weight of the rule's soft terms (penalty, reward or shortfall), if it has any."""
        setting = self.setting(scenario)
        if setting is None:
            return None
        if self.kind in ("soft",) or self.has_soft_part or not setting.hard:
            return setting.weight
        return None

    def relaxations(
        self, scenario: Scenario, key: str, places: list[Place]
    ) -> list[dict[str, Any]]:
        """Changes to the scenario (``--set`` keys and values) that relax this rule,
        mildest first: what explain tries as fixes when ``key`` (the rule's own key, or
        an input it guards such as ``runs.tue``) is in a conflict at ``places``. By
        default: :meth:`milder` settings, then the rule switched off."""
        out = self.milder(scenario, key, places)
        if self.setting(scenario) is not None:
            out.append({f"rules.{self.key}": "off"})
        return out

    def milder(self, scenario: Scenario, key: str, places: list[Place]) -> list[dict[str, Any]]:
        """Milder settings of the rule than the scenario's, mildest first (none here)."""
        return []

    def encode(self, b: Build) -> None:  # pragma: no cover - overridden
        """Add the rule's constraints or objective terms to the model."""

    def ruled_out(self, b: Build) -> Iterable[tuple[str, int]]:
        """(session, day index) placements this rule's own constraints rule out whatever
        else the plan holds (heavy legs on a day without a gym, say). A plain build
        creates no variable for them (constant folding: a smaller model for CP-SAT); a
        guarded one (explaining) keeps them, so that the rule can be switched off. Must
        only name what :meth:`encode` would force to 0 when the rule is hard."""
        return ()

    def check(self, p: PlanView) -> list[Violation]:
        """Violations of this rule in a plan, computed without the solver."""
        return []
