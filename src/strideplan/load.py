"""Training load and the weekly summary (SPEC's ``Weekly`` sheet).

Session load is session-RPE × minutes; the acute:chronic ratio compares a week's load
with the mean of the last four weeks (7-day vs 28-day), flagged outside 0.8–1.3 (as
planned where the week's own windows explain it: a taper's drop, a race week's jump).
"""

from __future__ import annotations

import pandas as pd

from .catalog import CATALOG, CATEGORIES

#: Rate of perceived exertion (0-10) per session type, for session-RPE load.
RPE: dict[str, int] = {
    "intervals": 8,
    "tempo": 7,
    "long_run": 6,
    "easy_run": 3,
    "race": 9,
    "strength_lower": 7,
    "strength_core": 5,
    "power": 6,
    "mobility": 2,
}
ACWR_RANGE = (0.8, 1.3)
#: weeks planned lighter than the block (their windows cut the load on purpose): a low
#: ratio there (or in any week holding away days or a window) is the plan, not an alarm;
#: so is a high one in a race week (the race) or a return week (after the break)
PLANNED_LOW = ("taper", "race", "recovery", "away", "return", "static", "race season")


def session_load(session: str, minutes: int) -> int:
    """session-RPE × minutes."""
    return RPE[session] * int(minutes)


def weekly_table(result) -> pd.DataFrame:
    """Per week: phase, counts and minutes per category, hard and rest days, load, ACWR."""
    cal = result.calendar
    phases = result.phases()
    by_week: dict[int, list[tuple]] = {}  # one pass over the plan (filtering per week is slow)
    for week, day, session, minutes in zip(
        result.plan["week"], result.plan["date"], result.plan["session"], result.plan["minutes"]
    ):
        by_week.setdefault(int(week), []).append((day, session, int(minutes)))
    rows = []
    loads: list[int] = []
    for w in range(cal.n_weeks):
        week = by_week.get(w + 1, [])
        row = {
            "week": w + 1,
            "start": cal.week_days(w)[0].date,
            "phase": phases[w],
            "clean": cal.clean_weeks[w],
        }
        for cat in CATEGORIES:
            row[f"{cat}_n"] = sum(CATALOG[s].category == cat for _, s, _ in week)
        for cat in CATEGORIES:
            row[f"{cat}_min"] = sum(m for _, s, m in week if CATALOG[s].category == cat)
        row["total_min"] = sum(m for _, _, m in week)
        days: dict = {}
        for day, s, _ in week:
            days.setdefault(day, []).append(s)
        row["hard_days"] = int(sum(any(CATALOG[s].hard for s in v) for v in days.values()))
        row["rest_days"] = 7 - int(sum(any(s != "mobility" for s in v) for v in days.values()))
        loads_by_cat = {cat: 0 for cat in CATEGORIES}
        for _, s, m in week:
            loads_by_cat[CATALOG[s].category] += session_load(s, m)
        load = sum(loads_by_cat.values())
        loads.append(load)
        for cat in CATEGORIES:
            row[f"{cat}_load"] = loads_by_cat[cat]
        chronic = sum(loads[-4:]) / len(loads[-4:])
        row["load"] = load
        row["acwr"] = round(load / chronic, 2) if chronic else None
        lo, hi = ACWR_RANGE
        flag = (
            ""
            if row["acwr"] is None or w < 3 or lo <= row["acwr"] <= hi
            else ("high" if row["acwr"] > hi else "low")
        )
        windowed = phases[w] in PLANNED_LOW or not cal.clean_weeks[w]  # away days, a window
        if (flag == "low" and windowed) or (flag == "high" and phases[w] in ("race", "return")):
            flag = f"planned {flag}"  # the week's own windows: expected, not an alarm
        row["acwr_flag"] = flag
        rows.append(row)
    return pd.DataFrame(rows)
