"""What the watch recorded (SPEC v3, "Watch history"): FIT activity files (``.fit``,
``.fit.gz``, decoded by fitdecode), a Strava bulk export's ``activities.csv`` and a
Garmin Connect activities CSV, read into activities and matched to the plan's sessions
as re-plan events.

Each activity is matched to a planned session of its day by sport: a run to the day's
run, strength training to a strength session, a HIIT / plyometric / generic training
activity to the day's power session. An activity that matches nothing is an extra
session of its kind (a run an easy run, strength a core session, training a power
session); an activity of another sport (a ride, a swim, yoga, a rowing machine) is
noted and not counted. A planned session with nothing recorded on a past day (from
the plan's start to the day before --today) is missed. A FIT activity is dated by the
watch's local time (its activity message's local timestamp), not by UTC.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pandas as pd

#: a folder of a bulk export holds thousands of files: a file larger than this is not
#: one activity
MAX_ACTIVITY_BYTES = 50_000_000
SUFFIXES = (".fit", ".fit.gz", ".csv", ".gpx", ".tcx", ".gpx.gz", ".tcx.gz", ".zip")
#: FIT files one zip may hold (Garmin's Export Original: one; a bulk export's part: many)
MAX_ZIPPED = 20_000
#: how a FIT activity file's name ends (an activity's ``source`` names its file)
FIT_NAMES = (".fit", ".fit.gz")


class ActivityError(ValueError):
    """An unreadable or foreign activity file (names the file)."""


@dataclass(frozen=True)
class Activity:
    """One recorded activity: its day, its kind (run, strength, power, other), its real
    minutes and, where recorded, the perceived effort (0-10)."""

    date: date
    kind: str
    minutes: int
    rpe: float | None
    sport: str  # as the file names it, for messages
    source: str  # file (and row) it came from
    #: the activity's own file an export's row names (Strava's Filename column), if any
    file: Path | None = None


# ------------------------------------------------------------------------- sports
_RUN = re.compile(r"\brun|running|jog|treadmill|trail", re.I)
_STRENGTH = re.compile(r"strength|weight|gym|lift", re.I)
_POWER = re.compile(r"plyo|hiit|jump|training|workout|crossfit|cardio", re.I)


def kind_of(sport: str) -> str:
    """run / strength / power / other from a sport's name in any export."""
    if _RUN.search(sport):
        return "run"
    if _STRENGTH.search(sport):
        return "strength"
    if _POWER.search(sport):
        return "power"
    return "other"


# ------------------------------------------------------------------------- FIT
#: the FIT messages an activity's summary needs: file id (0), session (18) and activity
#: (34: its local timestamp dates the activity where the watch was)
SUMMARY_MESSAGES = (0, 18, 34)
#: FIT's epoch (its date_time and local_date_time fields count seconds from it)
FIT_EPOCH = datetime(1989, 12, 31)


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


#: FIT's CRC (CRC-16/ARC) a byte at a time: four times the speed of the nibble-wise
#: loops of fit-tool and fitdecode, for whole files
_CRC_TABLE = _crc_table()


def fit_crc(data: bytes) -> int:
    """The FIT CRC of ``data``."""
    crc, table = 0, _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _check_crc(data: bytes) -> None:
    """ValueError unless the header's CRC (if set) and the file's CRC match: a watch's
    file damaged on the way (a flipped bit in a session's minutes) is not read."""
    size = data[0]
    if size == 14 and int.from_bytes(data[12:14], "little") not in (0, fit_crc(data[:12])):
        raise ValueError("its header's CRC does not match: a damaged file")
    end = size + int.from_bytes(data[4:8], "little")
    if len(data) < end + 2 or int.from_bytes(data[end : end + 2], "little") != fit_crc(data[:end]):
        raise ValueError("its CRC does not match: a damaged file")


def fit_summary(data: bytes) -> bytes:
    """A FIT file of ``data``'s file-id and session messages only, for the decoder: an
    hour's run holds thousands of 1-second records that the summary does not need, and
    stepping over their frames costs a fraction of decoding them (issue 23: a bulk
    export's thousand files in seconds). Framing errors are :class:`ValueError`."""
    size = data[0]
    if size not in (12, 14) or data[8:12] != b".FIT":
        raise ValueError("no FIT header")
    end = size + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise ValueError("the file ends before its records do")
    sizes: dict[int, int] = {}
    kept: dict[int, bool] = {}
    out = bytearray()
    i = size
    while i < end:
        head = data[i]
        if head & 0x80:  # a compressed-timestamp data message
            local, start = (head >> 5) & 0x03, i
            i += 1 + sizes[local]
        elif head & 0x40:  # a definition message
            local, start = head & 0x0F, i
            big = data[i + 2] == 1
            number = int.from_bytes(data[i + 3 : i + 5], "big" if big else "little")
            fields = data[i + 5]
            length = sum(data[i + 7 + 3 * k] for k in range(fields))
            i += 6 + 3 * fields
            if head & 0x20:  # developer fields follow
                extra = data[i]
                length += sum(data[i + 2 + 3 * k] for k in range(extra))
                i += 1 + 3 * extra
            sizes[local], kept[local] = length, number in SUMMARY_MESSAGES
            if kept[local]:
                out += data[start:i]
            continue
        else:
            local, start = head & 0x0F, i
            i += 1 + sizes[local]
        if kept.get(local):
            out += data[start:i]
    if i != end:
        raise ValueError("a message runs past the end of the records")
    header = bytearray(data[:12]) + b"\x00\x00"
    header[0] = 14
    header[4:8] = len(out).to_bytes(4, "little")
    header[12:14] = fit_crc(bytes(header[:12])).to_bytes(2, "little")
    mini = bytes(header) + bytes(out)
    return mini + fit_crc(mini).to_bytes(2, "little")


def _fit_activities(
    path: Path, data: bytes, between: tuple[date, date] | None, outside: list[date] | None = None
) -> list[Activity]:
    """The sessions of a FIT activity file, dated in the watch's local time. A damaged
    file (its CRC), one that does not frame or decode, and a FIT file of another type (a
    workout, a course) are :class:`ActivityError` naming the file."""
    import fitdecode  # the decoder only where FIT files are read

    try:
        found = _fit_sessions(fitdecode, data, between, outside)
        if found:  # a file of the days asked about: checked whole (a bulk export's others
            _check_crc(data)  # are not: their records are most of their bytes)
    except fitdecode.FitError as exc:
        raise ActivityError(f"{path}: not a readable FIT file ({exc})") from None
    except ActivityError as exc:
        raise ActivityError(f"{path}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - whatever a damaged file makes of the decoder
        raise ActivityError(f"{path}: not a readable FIT file ({exc})") from None
    return [
        Activity(
            start.date(),
            _fit_kind(sport, sub),
            min(1440, round(float(seconds) / 60)),
            float(rpe) / 10 if isinstance(rpe, (int, float)) else None,
            " ".join(str(v) for v in (sport, sub) if v) or "generic",
            str(path),
        )
        for start, seconds, sport, sub, rpe in found
    ]


def _fit_sessions(fitdecode, data: bytes, between, outside=None) -> list[tuple]:
    """(local start, seconds, sport, sub-sport, rpe) of each session in a FIT file (one
    made far outside ``between``: none, its date added to ``outside``)."""
    data = fit_summary(data)
    sessions, file_type, offset = [], None, None
    with fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    ) as fit:
        for frame in fit:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "file_id":
                file_type = _value(frame, "type")
                if file_type is not None and str(file_type) not in ("activity", "4"):
                    raise ActivityError(
                        f"a FIT {file_type} file, not an activity; expected an activity a "
                        "watch recorded"
                    )
                made = _value(frame, "time_created")
                if between is not None and isinstance(made, datetime):
                    # a bulk export spans years: a file made outside the days asked
                    # about is not decoded further (its records are most of its bytes)
                    if (
                        not between[0] - timedelta(days=1)
                        <= made.date()
                        < between[1] + timedelta(days=2)
                    ):
                        if outside is not None:
                            outside.append(made.date())
                        return []
            elif frame.name == "activity":
                offset = _utc_offset(_value(frame, "timestamp"), _value(frame, "local_timestamp"))
            elif frame.name == "session":
                start = _value(frame, "start_time")
                seconds = _value(frame, "total_timer_time") or _value(frame, "total_elapsed_time")
                if isinstance(start, datetime) and seconds:
                    rpe = _value(frame, "workout_rpe")
                    sessions.append(
                        (start, seconds, _value(frame, "sport"), _value(frame, "sub_sport"), rpe)
                    )
    if not sessions:
        raise ActivityError(
            "a FIT activity without a session summary (the watch's record of what was "
            "done, when and for how long); expected a finished activity"
        )
    return [
        (start.replace(tzinfo=None) + offset if offset is not None else local_time(start), *rest)
        for start, *rest in sessions
    ]


def _utc_offset(timestamp, local) -> timedelta | None:
    """The watch's offset from UTC (its activity's local timestamp minus the UTC one),
    whole quarter hours within a day; None when either is missing (the machine's zone
    then dates the activity: :func:`local_time`)."""
    if not isinstance(timestamp, datetime) or local is None:
        return None
    if isinstance(local, datetime):
        local = local.replace(tzinfo=None)
    elif isinstance(local, (int, float)):
        local = FIT_EPOCH + timedelta(seconds=int(local))
    else:
        return None
    offset = local - timestamp.replace(tzinfo=None)
    quarters = round(offset.total_seconds() / 900)
    return timedelta(minutes=15 * quarters) if abs(quarters) <= 14 * 4 else None


def local_time(utc: datetime) -> datetime:
    """A UTC time (naive or aware) in the machine's time zone (``TZ``, as ``ics``
    takes it), naive: a Strava export's dates and a FIT file without its watch's local
    time are UTC, and a 06:00 run in Sydney is that day's, not the day before's."""
    return (
        utc.replace(tzinfo=UTC).astimezone(_machine_zone(os.environ.get("TZ"))).replace(tzinfo=None)
    )


@cache
def _machine_zone(_tz: str | None):
    """The machine's zone, looked up once per value of ``TZ``."""
    from .ics import local_zone, zone

    return zone(local_zone())


def _value(frame, name: str):
    return frame.get_value(name, fallback=None) if frame.has_field(name) else None


def _fit_kind(sport, sub_sport) -> str:
    """run / strength / power / other from FIT's sport and sub-sport: strength training
    is strength; HIIT, cardio and generic training are power (the drills a watch has no
    sport for); yoga, a rowing machine or a ride are other sports."""
    sport, sub = str(sport or "").lower(), str(sub_sport or "").lower()
    if "transition" in sport or "transition" in sub:
        return "other"  # a multisport file's bike-to-run changeover is no run
    if sport == "running" or "run" in sub:
        return "run"
    if "strength" in sub:
        return "strength"
    if sport == "hiit" or "hiit" in sub or "cardio" in sub or "plyo" in sub:
        return "power"
    if sport == "training" and sub in ("", "generic", "none"):
        return "power"
    return "other"


def fit_activity_bytes(
    start: datetime,
    minutes: int,
    sport: str,
    sub_sport: str = "GENERIC",
    rpe: int | None = None,
    utc_offset: timedelta | None = None,
) -> bytes:
    """A FIT activity file as a watch writes one (file id, session, activity), written
    with fit-tool: for the bundled examples, the tests and the benchmarks. ``sport`` and
    ``sub_sport`` are FIT profile names (RUNNING, TRAINING / STRENGTH_TRAINING, ...),
    ``rpe`` the perceived effort 0-10; ``start`` is UTC, and ``utc_offset`` the watch's
    zone (its activity's local timestamp)."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

    ms = int(start.replace(tzinfo=UTC).timestamp() * 1000)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 7
    file_id.time_created = ms
    session = SessionMessage()
    session.sport = Sport[sport]
    session.sub_sport = SubSport[sub_sport]
    session.start_time = ms
    session.timestamp = ms + minutes * 60_000
    session.total_timer_time = minutes * 60
    session.total_elapsed_time = minutes * 60 + 30
    if rpe is not None:
        session.workout_rpe = rpe * 10
    activity = ActivityMessage()
    activity.timestamp = ms + minutes * 60_000
    activity.num_sessions = 1
    if utc_offset is not None:
        end = start + timedelta(minutes=minutes) + utc_offset
        activity.local_timestamp = int((end - FIT_EPOCH).total_seconds())
    builder = FitFileBuilder(auto_define=True)
    for message in (file_id, session, activity):
        builder.add(message)
    return builder.build().to_bytes()


# ------------------------------------------------------------------------- CSV
#: the columns a Strava bulk export's activities.csv and a Garmin Connect export hold
STRAVA = {"date": "Activity Date", "sport": "Activity Type", "seconds": "Elapsed Time"}
GARMIN = {"date": "Date", "sport": "Activity Type", "time": "Time"}


def _csv_activities(path: Path, text: str) -> list[Activity]:
    rows = list(csv.reader(io.StringIO(text, newline="")))  # a U+2028 in a text is text
    if not rows:
        raise ActivityError(f"{path}: an empty CSV; expected a Strava or Garmin export")
    header = [h.strip() for h in rows[0]]
    if all(c in header for c in STRAVA.values()):
        style = "strava"
    elif all(c in header for c in GARMIN.values()):
        style = "garmin"
    else:
        raise ActivityError(
            f"{path}: row 1: not a Strava activities.csv (columns {', '.join(STRAVA.values())})"
            f" nor a Garmin Connect export (columns {', '.join(GARMIN.values())})"
        )
    col = {h: i for i, h in reversed(list(enumerate(header)))}  # first of a repeated name
    out = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{path}: row {r}"
        values = {h: row[i].strip() if i < len(row) else "" for h, i in col.items()}
        cell = values.__getitem__
        sport = cell("Activity Type")
        if style == "strava":
            day = _export_date(
                cell("Activity Date"),
                STRAVA_DATES,
                where,
                "Activity Date",
                "Jan 5, 2027, 7:12:03 AM",
                utc=True,  # Strava writes its archive's dates in UTC
            )
            minutes = _seconds(cell("Elapsed Time"), where) / 60
            rpe_text = cell("Perceived Exertion") if "Perceived Exertion" in col else ""
            named = cell("Filename") if "Filename" in col else ""
        else:
            day = _export_date(cell("Date"), GARMIN_DATES, where, "Date", "2027-01-05 07:12:03")
            minutes = _clock(cell("Time"), where) / 60
            rpe_text = ""
            named = ""
        rpe = None
        if rpe_text:
            try:
                rpe = float(rpe_text)
            except ValueError:
                rpe = None
        file = (path.parent / named).resolve() if named else None
        out.append(
            Activity(day, kind_of(sport), min(1440, round(minutes)), rpe, sport, where, file)
        )
    return out


#: the date formats of each export (Strava's English locale first), and an example
STRAVA_DATES = ("%b %d, %Y, %I:%M:%S %p", "%d %b %Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S")
GARMIN_DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%Y-%m-%d")


def _export_date(
    text: str, formats: tuple[str, ...], where: str, column: str, example: str, utc: bool = False
) -> date:
    """The date of an export's date cell in the first of its formats that reads it
    (``utc``: a UTC time, dated in the machine's zone: Strava's)."""
    for fmt in formats:
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return (local_time(when) if utc else when).date()
    raise ActivityError(f"{where}: {column} {text!r}: expected e.g. {example!r}")


def _seconds(text: str, where: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise ActivityError(f"{where}: Elapsed Time {text!r}: expected seconds") from None
    if not 0 <= value <= 86_400:
        raise ActivityError(f"{where}: Elapsed Time {text!r}: expected 0..86400 seconds")
    return value


def _clock(text: str, where: str) -> float:
    found = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?", text)
    if not found:
        raise ActivityError(f"{where}: Time {text!r}: expected hh:mm:ss")
    h, m, s = (int(g) if g else 0 for g in found.groups())
    seconds = 3600 * h + 60 * m + s
    if seconds > 86_400:
        raise ActivityError(f"{where}: Time {text!r}: longer than a day")
    return seconds


# ------------------------------------------------------------------------- files
def activity_files(paths: list[str | Path]) -> list[Path]:
    """The activity files of files and folders (folders searched through), sorted."""
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out += sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES)
            )
        elif path.is_file():
            out.append(path)
        else:
            raise ActivityError(f"{path}: no such file or folder")
    seen: set[Path] = set()  # a file given and found in its folder too: read once
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def read_activities(
    paths: list[str | Path],
    between: tuple[date, date] | None = None,
    outside: list[date] | None = None,
) -> list[Activity]:
    """Every activity of the files and folders (``between``: only those of these days,
    first included, last not; ``outside`` collects the dates of those left out, for the
    summary to say so); a bad or foreign file is :class:`ActivityError` naming it. A FIT
    file made outside ``between`` is checked no further than its file id."""
    out: list[Activity] = []
    fit_files: set[Path] = set()
    tracks: list[Path] = []  # GPX and TCX files
    given = {Path(p) for p in paths}  # named by the user, not found in a folder
    for path in activity_files(paths):
        name = path.name.lower()
        try:
            if path.stat().st_size > MAX_ACTIVITY_BYTES:
                raise ActivityError(f"{path}: {path.stat().st_size} bytes; not one activity")
            data = path.read_bytes()
        except OSError as exc:
            raise ActivityError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        if name.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise ActivityError(f"{path}: not a readable .gz file ({exc})") from None
            name = name[:-3]
        if name.endswith(".fit"):
            out += _fit_activities(path, data, between, outside)
            fit_files.add(path.resolve())
        elif name.endswith(".csv"):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ActivityError(f"{path}: not UTF-8 text; expected a CSV export") from None
            if path not in given and not _is_export(text):
                continue  # a bulk export's other tables (profile.csv, comments.csv ...)
            out += _csv_activities(path, text)
        elif name.endswith((".gpx", ".tcx")):
            tracks.append(path)  # read only where no export's row covers it (below)
        elif name.endswith(".zip"):
            out += _zipped(path, data, between, outside, given=path in given)
        else:
            raise ActivityError(
                f"{path}: not an activity file; expected .fit, .fit.gz, a zip of them or .csv"
            )
    # a Strava archive holds each activity twice: a row of activities.csv and its file
    # (a phone's recordings as GPX or TCX: the row is what counts)
    covered = {a.file for a in out if a.file is not None}
    for path in tracks:
        if path.resolve() not in covered:
            raise ActivityError(
                f"{path}: GPX and TCX files are read only through an export's activities "
                "CSV that lists them (a Strava archive's activities.csv); export the "
                "activity as FIT, or the account's activities as CSV"
            )
    out = [a for a in out if a.file is None or a.file not in fit_files]
    # the watch's FIT files beside the account's CSV of the same activities: once each
    fitted = {(a.date, a.kind, a.minutes) for a in out if a.source.lower().endswith(FIT_NAMES)}
    out = [
        a
        for a in out
        if a.source.lower().endswith(FIT_NAMES)
        or not any((a.date, a.kind, a.minutes + d) in fitted for d in (-1, 0, 1))
    ]
    if between is not None:
        if outside is not None:
            outside += [a.date for a in out if not between[0] <= a.date < between[1]]
        out = [a for a in out if between[0] <= a.date < between[1]]
    return sorted(out, key=lambda a: (a.date, a.source))


def _zipped(path: Path, data: bytes, between, outside, given: bool) -> list[Activity]:
    """The FIT activities in a zip (Garmin Connect's Export Original holds the one
    activity's .fit): each member checked as a FIT file is; a zip without one is bad
    input where it was named, and skipped where a folder held it (a bulk export's other
    archives)."""
    import zipfile

    out: list[Activity] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                m for m in archive.infolist()
                if not m.is_dir() and m.filename.lower().endswith(FIT_NAMES)
            ]  # fmt: skip
            if len(members) > MAX_ZIPPED:
                raise ActivityError(f"{path}: {len(members)} FIT files; at most {MAX_ZIPPED}")
            for m in members:
                where = Path(f"{path}:{m.filename}")
                if m.file_size > MAX_ACTIVITY_BYTES:
                    raise ActivityError(f"{where}: {m.file_size} bytes; not one activity")
                member = archive.read(m)
                if m.filename.lower().endswith(".gz"):
                    try:
                        member = gzip.decompress(member)
                    except (OSError, EOFError) as exc:
                        raise ActivityError(f"{where}: not a readable .gz file ({exc})") from None
                out += _fit_activities(where, member, between, outside)
    except ActivityError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ActivityError(f"{path}: not a readable zip archive ({exc})") from None
    if not members and given:
        raise ActivityError(
            f"{path}: no FIT activity in the zip; expected Garmin's Export Original"
        )
    return out


def _is_export(text: str) -> bool:
    """Whether a CSV's header is a Strava or a Garmin Connect activities export's."""
    header = {h.strip() for h in next(csv.reader(io.StringIO(text, newline="")), [])}
    return set(STRAVA.values()) <= header or set(GARMIN.values()) <= header


# ------------------------------------------------------------------------- matching
@dataclass(frozen=True)
class Match:
    """How one activity (or a planned session without one) went into the re-plan."""

    date: date
    session: str
    status: str  # done / missed / extra / other
    minutes: int | None
    rpe: float | None
    how: str

    def __str__(self) -> str:
        return f"{self.date:%a %Y-%m-%d}  {self.session}: {self.how}"


_SESSIONS_FOR = {
    "run": ("race", "intervals", "tempo", "long_run", "easy_run"),
    "strength": ("strength_lower", "strength_core"),
    "power": ("power",),
}
_EXTRA = {"run": "easy_run", "strength": "strength_core", "power": "power"}


def _sport(a: Activity) -> str:
    """The sport as the file names it, without FIT's 'generic' sub-sport."""
    return a.sport.removesuffix(" generic").replace("_", " ")


def _effort(a: Activity) -> str:
    return f", RPE {a.rpe:g}" if a.rpe is not None else ""


def match_activities(
    activities: list[Activity], published: pd.DataFrame, today: date
) -> list[Match]:
    """Each activity before ``today`` matched to a planned session of its day (see the
    module's docstring); then the planned sessions the history covers that nothing
    matched, as missed."""
    # a day's longest activity of a sport is its planned session (a warm-up jog or a
    # watch started by mistake is the extra one)
    past = sorted(
        (a for a in activities if a.date < today), key=lambda a: (a.date, -a.minutes, a.source)
    )
    if not past:
        return []
    planned: dict[date, list[str]] = {}
    for row in published.itertuples(index=False):
        if row.session != "mobility" and row.date < today:
            planned.setdefault(row.date, []).append(str(row.session))
    out = []
    at: dict[tuple[date, str], int] = {}  # where each day's session is in ``out``
    for a in past:
        left = planned.get(a.date, [])
        if a.kind == "other":
            how = (
                f"{a.minutes} min, not a session strideplan plans: noted, not counted ({a.source})"
            )
            out.append(Match(a.date, _sport(a), "other", a.minutes, a.rpe, how))
            continue
        session = next((s for s in _SESSIONS_FOR[a.kind] if s in left), None)
        if session is not None:
            left.remove(session)
            how = f"done, {a.minutes} min{_effort(a)}, from {_sport(a)} ({a.source})"
            at[a.date, session] = len(out)
            out.append(Match(a.date, session, "done", a.minutes, a.rpe, how))
            continue
        session = _EXTRA[a.kind]
        same = at.get((a.date, session))
        if same is not None:  # a second one that day (a double run): one session, both times
            m = out[same]
            minutes = min(1440, (m.minutes or 0) + a.minutes)
            how = f"{m.how}; and {a.minutes} min more the same day, from {_sport(a)} ({a.source})"
            out[same] = Match(m.date, m.session, m.status, minutes, m.rpe, how)
            continue
        how = f"extra session, {a.minutes} min{_effort(a)}, from {_sport(a)} ({a.source})"
        at[a.date, session] = len(out)
        out.append(Match(a.date, session, "extra", a.minutes, a.rpe, how))
    for d, sessions in sorted(planned.items()):
        for s in sessions:
            out.append(Match(d, s, "missed", None, None, "missed: nothing recorded that day"))
    return sorted(out, key=lambda m: (m.date, m.session))
