"""The living plan's commands: `replan`, `ics` and `workouts`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    EXIT_INFEASIBLE,
    BadInput,
    Bug,
    busy,
    cli,
    console,
    echo_json,
    escape,
    finish,
    format_option,
    load_scenario,
    output_option,
    output_target,
    print_summary,
    refuse_over_inputs,
    set_option,
    time_limit_option,
    write_file,
    write_ics,
)


def replan_json(replanned, today, written=None):
    from ..terminal import replan_json as as_json

    return as_json(replanned, today, written)


@cli.command(short_help="A plan workbook as an iCalendar (.ics) file.")
@click.argument("plan", type=click.Path(dir_okay=False))
@output_option("Calendar file to write (default: the plan's name with .ics).")
@click.option("--start-time", metavar="HH:MM", help="Time the day's first session starts.")
@click.option(
    "--tz", metavar="ZONE", help="IANA time zone for --start-time (default: the machine's)."
)
def ics(plan: str, out: str | None, start_time: str | None, tz: str | None) -> None:
    """Write PLAN.xlsx (hand edits included) as an iCalendar (.ics) file.

    \b
    One event per run, strength or power session, its prescription in the description;
    all-day, or timed from --start-time. A session moved within its week keeps its UID,
    so a re-import updates it. Exit codes: 0 written, 2 bad input.
    Example:
      strideplan ics output/10k_build.xlsx --start-time 07:00 --tz Europe/London
    """
    from ..living.ics import IcsError, parse_start_time, zone

    try:
        begin = parse_start_time(start_time) if start_time else None
        if tz:
            zone(tz)
    except IcsError as exc:
        raise BadInput(str(exc)) from None
    plan_path = Path(plan)
    if not plan_path.is_file():
        raise BadInput(f"{plan}: file not found")
    default = plan_path.with_suffix(".ics")
    target = output_target(out, default, (plan_path,), what="the calendar") if out else default
    written = write_ics(plan_path, target, begin, tz)
    console.print(f"wrote [bold]{escape(str(written))}[/]")


@cli.command(short_help="A plan as structured workouts for the watch.")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the workout files and schedule.csv.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["fit", "text"]),
    default="fit",
    show_default=True,
    help="FIT workout files, or intervals.icu's plain workout text.",
)
@click.option(
    "--from",
    "first",
    metavar="YYYY-MM-DD",
    help="Only sessions from this day (default: a re-planned workbook's first re-planned "
    "day, else the whole plan).",
)
def workouts(plan: str, out: str, fmt: str, first: str | None) -> None:
    """Write PLAN.xlsx (hand edits included) as one structured workout per session.

    \b
    Runs: the warm-up, the work (intervals as repeats) and the cool-down stretch;
    strength and power: each exercise a step of its reps or seconds, repeated for its
    sets, rest between sets. schedule.csv names each workout's date. File names are
    stable ids (plan, week, session, occurrence), so a re-plan's workouts replace the
    old ones. A re-planned workbook gives the days from its first re-planned day on.
    Exit codes: 0 written, 2 bad input.
    Example:
      strideplan workouts output/10k_build.xlsx -o output/watch
    """
    from ..excel import PlanFileError
    from ..living.ics import read_plan
    from ..living.workouts import write_workouts

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"-o {out}: not a folder; expected a folder for the workouts")
    refuse_over_inputs(folder, (plan,), "the workouts")
    from datetime import date as Date

    from ..plan import replanned_from

    try:
        sheets = read_plan(plan)
    except PlanFileError as exc:
        raise BadInput(str(exc)) from None
    try:
        since = Date.fromisoformat(first) if first else replanned_from(sheets.sessions)
    except ValueError:
        raise BadInput(f"--from {first!r}: expected a date YYYY-MM-DD") from None
    try:
        written = write_workouts(sheets, folder, fmt, since)
    except OSError as exc:
        raise BadInput(f"{folder}: cannot write the workouts ({exc.strerror or exc})") from None
    # the first day that holds a workout (a re-plan's first day may be a rest day)
    days = ""
    if since is not None:
        table = sheets.sessions
        ahead = table.loc[(table["session"] != "mobility") & (table["date"] >= since), "date"]
        days = f" from {min(ahead) if len(ahead) else since}"
    console.print(
        f"wrote {len(written) - 1} workout(s){days} and [bold]{escape(str(written[-1]))}[/]",
        soft_wrap=True,
    )


@cli.command(short_help="Re-plan from --today with what actually happened.")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
@click.argument("more", nargs=-1, type=click.Path(), metavar="")
@click.option("--today", required=True, metavar="YYYY-MM-DD", help="The first day to re-plan.")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    help="CSV of what happened: date, session, status[, minutes, rpe] (wins over the status "
    "column and --activities).",
)
@click.option(
    "--activities",
    "activity_paths",
    multiple=True,
    type=click.Path(),
    help="What the watch recorded: FIT files (.fit, .fit.gz), a Strava activities.csv or a "
    "Garmin Connect CSV, or folders of them (repeatable).",
)
@output_option("New workbook (default: <plan>-replan.xlsx beside the plan).")
@set_option("Override a scenario key (repeatable).")
@time_limit_option("Solver time limit in seconds, at most 3600 (default: solver.time_limit).")
@click.option(
    "--ics", "with_ics", is_flag=True, help="Also write the new plan as an .ics beside it."
)
@format_option()
def replan(
    scenario, plan, more, today, log_path, activity_paths, out, sets, time_limit, with_ics, fmt
) -> None:
    """Re-plan PLAN.xlsx from --today with what actually happened.

    \b
    What happened comes from the Sessions sheet's status column (done, missed,
    'moved YYYY-MM-DD', empty = as planned), the watch's --activities and --log; where
    they speak of one session, --log wins over --activities, which win over the status
    column. The past stays as it was; the future changes as little as the rules need,
    and every change says why; after real runs no run spikes past 110 % of the longest
    of the 30 days before.
    Exit codes: 0 new plan written, 1 no plan from today, 2 bad input.
    Example:
      strideplan replan scenarios/10k_build.yaml output/10k_build.xlsx --today 2027-01-25
      strideplan replan scenarios/10k_build.yaml output/10k_build.xlsx --today 2027-01-25 --format json
    """
    from datetime import date as Date

    from ..app import PlanBreaksRulesError
    from ..excel import PlanFileError, write_workbook
    from ..living.replan import LogError, read_log, read_published
    from ..living.replan import replan as run_replan

    if more and not activity_paths:
        raise BadInput(f"unexpected argument {more[0]!r}; expected SCENARIO PLAN and options")
    activity_paths = (*activity_paths, *more)  # --activities A B C: every path after it
    sc, _, _ = load_scenario(scenario, sets)
    try:
        first = Date.fromisoformat(today)
    except ValueError:
        raise BadInput(f"--today {today!r}: expected a date YYYY-MM-DD") from None
    plan_path = Path(plan)
    target = output_target(
        out,
        plan_path.with_name(f"{plan_path.stem}-replan.xlsx"),
        (scenario, plan_path, log_path, *activity_paths),
        (".ics",) if with_ics else (),
    )
    from ..living.activities import ActivityError, match_activities, read_activities

    try:
        published = read_published(plan_path)
        from ..calendar import Calendar

        log = read_log(log_path, Calendar(sc), first) if log_path else None
        matches = None
        left_out: list = []  # activities before the plan or from --today on
        if activity_paths:
            with busy(fmt, "[bold]reading the activities…"):
                recorded = read_activities(activity_paths, (sc.start, first), left_out)
                matches = match_activities(recorded, published, first)
        with busy(fmt, "[bold]re-planning…"):
            result = run_replan(
                sc, published, first, log, matches=matches, source=plan, time_limit=time_limit
            )
    except (PlanFileError, LogError, ActivityError) as exc:
        raise BadInput(str(exc)) from None
    except PlanBreaksRulesError as exc:
        raise Bug(f"{sc.name}: the re-plan from {first}: {exc}") from None
    new = result.result
    if not new.solved:
        lines = new.explanation.lines(sc) if new.explanation is not None else []
        if fmt == "json":
            echo_json({**replan_json(result, first), "explanation": lines})
            sys.exit(EXIT_INFEASIBLE)
        console.print(
            f"[bold]{escape(sc.name)}[/]: [red]no plan from {first}[/] keeps every hard rule "
            "with what happened. No workbook written."
        )
        for line in lines:
            console.print(line, markup=False)
        sys.exit(EXIT_INFEASIBLE)
    write_file(target, write_workbook, new, target, (), result.sheet_changes)
    calendar_file = write_ics(target) if with_ics else None
    written = [str(p) for p in (target, calendar_file) if p is not None]

    def summary() -> None:
        if left_out:
            console.print(
                f"From the watch: {len(left_out)} activities outside the plan's past "
                f"({sc.start} .. the day before {first}), from {min(left_out)} to "
                f"{max(left_out)}: left out",
                markup=False,
            )
        _print_changes(result, first)
        print_summary(new, fmt)

    def as_json() -> dict:
        return {**replan_json(result, first, written), "activities_left_out": len(left_out)}

    finish(fmt, as_json, summary, written)


def _print_changes(replanned, first) -> None:
    """The changes first, then the facts of the past (SPEC: the summary starts there)."""
    changes = replanned.changes
    if replanned.read:
        days = len({m.date for m in replanned.read})
        console.print(
            f"From the watch: {len(replanned.read)} activities on {days} days", markup=False
        )
        for match in replanned.read:
            console.print(f"  {match}", markup=False, soft_wrap=True)
    if replanned.activity_wins:
        console.print(
            f"the activities override the status column for {replanned.activity_wins} session(s)",
            markup=False,
        )
    if replanned.log_wins:
        over = "the status column and the activities" if replanned.read else "the status column"
        console.print(f"the log overrides {over} for {replanned.log_wins} session(s)", markup=False)
    for capped in replanned.capped:
        console.print(f"  capped: {capped}", markup=False, soft_wrap=True)
    made = changes[changes["change"] != "missed"]
    missed = changes[changes["change"] == "missed"]
    console.print(
        f"Changes from {first}: {len(made)} ({len(missed)} missed session(s) before it)",
        markup=False,
    )
    for row in changes.itertuples(index=False):
        console.print(
            f"  {row.date:%a %Y-%m-%d}  {row.session}: {row.change} — {row.rule}", markup=False
        )
    for fact in replanned.past_facts:
        console.print(f"  a fact of the past: {fact}", markup=False)
