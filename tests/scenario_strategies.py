"""The random valid scenarios of the property tests (hypothesis strategies), shared by
tests/model/test_random.py and tests/prescription/test_prescription.py."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from strideplan.scenario import validate

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
START = date(2027, 1, 4)


@st.composite
def scenario_data(draw):
    """Raw data of a random valid scenario (rules from a few typical values)."""
    weeks = draw(st.integers(1, 10))
    free = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True))
    availability = {d: draw(st.sampled_from([30, 45, 60, 90, 120, 150])) for d in free}
    fixed = {
        d: draw(st.sampled_from(["intervals", "tempo", "long_run", "easy_run"]))
        for d in draw(st.lists(st.sampled_from(DAYS), max_size=3, unique=True))
    }
    n_days = 7 * weeks
    races = []
    for offset in draw(st.lists(st.integers(0, n_days - 1), max_size=2, unique=True)):
        race = {"date": START + timedelta(days=offset), "priority": draw(st.sampled_from("ABC"))}
        distance = draw(
            st.sampled_from([None, "5k", "10k", "half", "marathon", "ultra", 1.5, 21.1, 60])
        )
        if distance is not None:
            race["distance"] = distance
        if draw(st.booleans()):
            race[draw(st.sampled_from(["taper_days", "recovery_days", "run_taper_days"]))] = draw(
                st.integers(0, min(21, n_days))  # day counts: 0..the plan's length
            )
        races.append(race)
    race_days = {r["date"] for r in races}
    away_days = set(draw(st.lists(st.integers(0, n_days - 1), max_size=4, unique=True)))
    if draw(st.booleans()):  # a long break: up to 16 days in a row
        first = draw(st.integers(0, n_days - 1))
        away_days |= set(range(first, min(n_days, first + draw(st.integers(5, 16)))))
    away = [
        START + timedelta(days=o)
        for o in sorted(away_days)
        if START + timedelta(days=o) not in race_days
    ]
    season = []
    if draw(st.booleans()):
        first = draw(st.integers(0, n_days - 1))
        last = min(n_days - 1, first + draw(st.integers(0, 35)))
        season = [{"from": START + timedelta(days=first), "to": START + timedelta(days=last)}]
    rules = {}
    if draw(st.booleans()):
        rules["strength_per_week"] = draw(st.sampled_from([1, 2, 3, [1, 2]]))
    if draw(st.booleans()):
        rules["power_per_week"] = draw(st.sampled_from([0, 1, [1, 2]]))
    if draw(st.booleans()):
        rules["dynamic_blocks"] = draw(st.sampled_from(["off", [2, 3], [6, 8]]))
    for soft in ("back_to_back_hard", "same_weekly_pattern", "strength_after_easy_run"):
        if draw(st.booleans()):
            rules[soft] = draw(st.sampled_from(["off", 1, 5]))
    for hard in ("power_on_fresh_days", "no_heavy_legs_before", "daily_minutes"):
        if draw(st.booleans()):
            rules[hard] = draw(st.sampled_from(["off", {"hard": False, "weight": 20}]))
    if draw(st.booleans()):
        rules["rest_days_per_week"] = draw(st.sampled_from([0, 1, 2]))
    if draw(st.booleans()):
        rules["strength_per_week"] = {
            "value": draw(st.sampled_from([2, 3])),
            "hard": False,
            "weight": 30,
        }
    if draw(st.booleans()):
        rules["race_taper"] = draw(st.sampled_from(["off", {"A": min(14, n_days)}, {"C": 0}]))
    for key, values in {
        "race_eve": ["off", {"A": 3, "B": 2, "C": 1}],
        "race_recovery": ["off", {"A": 2}],
        "run_taper": ["off", {"B": {"window": 0.5}}],
        "return_after_break": ["off", 3, {"break": min(10, n_days)}],
        "race_season": ["off", {"hard": False, "weight": 40}],
        "max_training_days_in_a_row": ["off", 3, 5],
        "power_gap_days": ["off", 0, 2],
        "power_days": [["tue", "sat"], ["thu"]],
        "heavy_legs_near_long_run": ["off", 50],
    }.items():
        if draw(st.booleans()):
            rules[key] = draw(st.sampled_from(values))
    preferences = {}
    for key in ("strength_days", "power_days", "easy_run_days"):
        if draw(st.booleans()):
            preferences[key] = draw(st.lists(st.sampled_from(DAYS), min_size=1, unique=True))
    sessions = {}
    if draw(st.booleans()):
        sessions[draw(st.sampled_from(["long_run", "easy_run", "strength_lower", "power"]))] = {
            "minutes": draw(st.sampled_from([15, 30, 75, 120]))
        }
    data = {
        "name": "random",
        "start": START,
        "weeks": weeks,
        "preferences": preferences,
        "sessions": sessions,
        "athlete": {
            "availability": availability,
            "level": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
            "gym": draw(st.one_of(st.none(), st.lists(st.sampled_from(DAYS), unique=True))),
            "away": away,
        },
        "runs": {**fixed, "easy_runs": draw(st.integers(0, 3))},
        "races": races,
        "race_season": season,
        "rules": rules,
        "solver": {"time_limit": 20},
    }
    return data


def scenarios():
    """Random valid scenarios."""
    return scenario_data().map(lambda data: validate(data, "random"))
