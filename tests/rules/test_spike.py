"""No run spike after history (rules/spike.py, SPEC v3): a re-plan caps runs at 110 % of
the longest of the 30 days before, rounded down to 5 minutes."""

from __future__ import annotations

from datetime import date

from strideplan.check import check_plan
from strideplan.living.replan import Event, replan

from conftest import scenario


def _spiky(**extra):
    """Ten weeks, a 90-minute long run every Sunday and nothing else."""
    return scenario(weeks=10, runs__sun="long_run", sessions={"long_run": {"minutes": 90}}, **extra)


def test_a_60_minute_history_caps_a_90_minute_long_run_at_65():
    """SPEC v3 run_spike: 110 % of 60 is 66, rounded down to 5: 65 minutes, for the 30
    days from --today (Sundays 14 Feb - 7 Mar); after them the long run is 90 again."""
    from strideplan.result import plan_scenario

    sc = _spiky()
    published = plan_scenario(sc).plan
    today = date(2027, 2, 8)  # Monday of week 6: the 30 days before are all in the plan
    sundays = [d for d in published["date"] if d < today and d.weekday() == 6]
    log = [Event(d, "long_run", "done", None, 60, "log") for d in sundays]
    new = replan(sc, published, today, log)
    runs = new.result.plan[new.result.plan["session"] == "long_run"]
    after = {d: int(m) for d, m in zip(runs["date"], runs["minutes"]) if d >= today}
    capped = {date(2027, 2, 14), date(2027, 2, 21), date(2027, 2, 28), date(2027, 3, 7)}
    assert after == {**{d: 65 for d in capped}, date(2027, 3, 14): 90}
    assert len(new.capped) == 4 and "90 -> 65" in new.capped[0]
    off = replan(_spiky(rules__run_spike="off"), published, today, log)
    assert 90 in set(off.result.plan.loc[off.result.plan["session"] == "long_run", "minutes"])


def test_check_catches_a_hand_made_run_spike():
    from strideplan.result import plan_scenario

    sc = _spiky()
    published = plan_scenario(sc).plan
    today = date(2027, 2, 8)
    log = [Event(d, "long_run", "done", None, 60, "log") for d in published["date"]
           if d < today and d.weekday() == 6]  # fmt: skip
    new = replan(sc, published, today, log)
    plan = new.result.plan.copy()
    assert not [v for v in check_plan(sc, plan, new.result.calendar) if v.rule == "run_spike"]
    plan.loc[plan["date"] == date(2027, 2, 14), "minutes"] = 80  # 80 > 65
    spikes = [v for v in check_plan(sc, plan, new.result.calendar) if v.rule == "run_spike"]
    assert [v.date for v in spikes] == [date(2027, 2, 14)] and "cap 65" in str(spikes[0])
