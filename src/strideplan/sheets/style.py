"""Colours and words shared by the sheets: one place, so a legend always matches its grid.

Three palettes that never share a colour: session categories (Sessions sheet, charts),
the Calendar's day kinds (a day's colour says its run, or rest / away / not available /
race), and the training phases (the Calendar's phase column, the Booklet's headings).
"""

from __future__ import annotations

#: Category colours (Sessions sheet's session cells).
COLOURS = {
    "run": "CFE2F3",
    "strength": "F4CCCC",
    "power": "FFF2CC",
    "mobility": "D9EAD3",
}

#: Chart colours of the categories, in the Weekly sheet's column order.
CHART_COLOURS = {"run": "6FA8DC", "strength": "E06666", "power": "F1C232", "mobility": "93C47D"}

#: The Calendar's day kinds: (legend label, fill). A training day is coloured by its run;
#: a day with strength or power but no run is a "no run" day.
DAY_KINDS = {
    "intervals": ("Intervals", "F6B26B"),
    "tempo": ("Tempo", "FFD966"),
    "long_run": ("Long run", "6FA8DC"),
    "easy_run": ("Easy run", "B6D7A8"),
    "race": ("Race", "CC0000"),
    "no_run": ("No run (gym, drills)", "D5C7E8"),
    "rest": ("Rest", "FFFFFF"),
    "away": ("Away", "999999"),
    "unavailable": ("Not available", "E0E0E0"),
}
#: Text colour where the fill is dark.
DAY_TEXT = {"race": "FFFFFF", "away": "FFFFFF"}

#: The gym on a day of the squad sheets: full (every rack taken), over (never written:
#: the plan is checked first).
GYM_FILLS = {"full": "FCE5CD", "over": "E06666"}

#: Phase colours (Calendar's phase column, Booklet headings): a palette of their own.
PHASE_COLOURS = {
    "dynamic": "A2C4C9",
    "static": "D0E0E3",
    "taper": "E6B8AF",
    "race": "DD7E6B",
    "recovery": "C9B8D9",
    "return": "B4C7E7",
    "race season": "F2D6C2",
    "away": "BDBDBD",
}

#: Extra work on a calendar day: a marker and a text colour per session.
EXTRA_WORK = {
    "power": ("▲", "B45F06"),
    "strength_lower": ("■", "990000"),
    "strength_core": ("●", "741B47"),
}

#: Session names in a coach's words.
SESSION_WORDS = {
    "intervals": "Intervals",
    "tempo": "Tempo",
    "long_run": "Long run",
    "easy_run": "Easy run",
    "race": "Race",
    "strength_lower": "Strength (legs)",
    "strength_core": "Strength (core)",
    "power": "Power",
    "mobility": "Mobility",
}


def words(session: str) -> str:
    """A session key in a coach's words (``strength_lower`` -> ``Strength (legs)``)."""
    return SESSION_WORDS.get(session, session.replace("_", " ").capitalize())
