"""Lagrangian bound cuts for the squad's gym capacity.

Why: the cuts ``part_i >= o_i`` of :mod:`strideplan.squad.start` know nothing of the
gym, and on bench/bench_squad.py (50 athletes × 16 weeks) the capacity costs about
3 000 points above Σ o_i that CP-SAT's bound learnt only slowly.

Prices the capacity instead: for prices ``μ_d >= 0`` (integers, in ``1/PRICE_SCALE``
points) on each capacity date ``d``, athlete ``i`` alone solves

    w_i(μ) = min over i's own plans of  PRICE_SCALE × part_i + Σ_d μ_d × lower_i[d]

and every plan of the squad satisfies the cut ``PRICE_SCALE × part_i + Σ_d μ_d ×
lower_i[d] >= w_i(μ)`` (it is a plan of athlete ``i``). Summed over the athletes, with
``Σ_i lower_i[d] <= cap_d``, they give ``Σ_i part_i >= L(μ) = (Σ_i w_i(μ) - Σ_d μ_d
cap_d) / PRICE_SCALE``, a lower bound of the squad's objective (the tie-break is >= 0,
so it holds under the scaled objective too). The cuts are on the athletes' unscaled
parts. The prices and each round's ``w`` come from :mod:`strideplan.squad.columns`
(column generation with a box step; the subgradient rounds this module first ran
stopped at a weaker bound: 8 570 against 8 705 on the bench squad).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..model import Build, objective
from .start import model_key

#: prices are integers in 1/PRICE_SCALE points (the cuts stay integral)
PRICE_SCALE = 4


@dataclass
class Lagrange:
    """What the rounds found: the cuts per athlete group and the best bound."""

    #: per round: {day index: μ_d} and each group's w (None: not proven)
    rounds: list[tuple[dict[int, int], dict[int, int | None]]] = field(default_factory=list)
    #: best L(μ) over the rounds, in points (rounded up), None if never proven
    bound: int | None = None
    #: L(μ) per round (points, exact fraction as float), for the record
    history: list[float] = field(default_factory=list)
    #: prices and w are integers in 1/scale points
    scale: int = PRICE_SCALE


def add_lagrange_cuts(model: cp_model.CpModel, builds: list[Build], squad, lag: Lagrange) -> None:
    """Every round's cut on every athlete, and the best bound on the squad's sum."""
    first: dict[str, int] = {}
    group = [first.setdefault(model_key(sc), i) for i, sc in enumerate(squad.athletes)]
    for mu, w in lag.rounds:
        if not any(mu.values()):
            continue  # μ = 0: the cut part_i >= o_i is there already
        for i, b in enumerate(builds):
            value = w.get(group[i])
            if value is None:
                continue
            lower = b.placed["strength_lower"]
            priced = [
                (m, lower[d])
                for d, m in sorted(mu.items())
                if m and not isinstance(lower.get(d, 0), int)
            ]
            model.Add(lag.scale * objective(b) + sum(m * v for m, v in priced) >= value)
    if lag.bound is not None:
        model.Add(sum(objective(b) for b in builds) >= lag.bound)
