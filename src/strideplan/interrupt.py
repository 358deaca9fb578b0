"""Ctrl-C and SIGTERM stop a solve at once (SPEC, Robustness: exit 130, nothing written).

CP-SAT runs in C++ and, by default, catches SIGINT itself: it stops the search and
returns its best plan as if the time limit had passed, so the plan was written and the
exit was 0. Here CP-SAT's own handler is switched off (``catch_sigint_signal``), every
solve runs through :func:`run_solver`, and the signal handlers of
:func:`stop_on_signals` call ``StopSearch()`` on every running solver and raise
:class:`Interrupted`, which unwinds through the atomic write (removing its temporary
file) to the CLI's exit 130.

On the main thread the solve runs in a helper thread that the main thread waits for in
short slices, because Python runs signal handlers only on the main thread and only
between bytecodes: a main thread blocked inside ``Solve()`` would notice the signal
only once the search was over.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # no ortools at import: `strideplan --help` loads only click
    from ortools.sat.python import cp_model


class Interrupted(BaseException):
    """The user (SIGINT) or the system (SIGTERM) asked strideplan to stop.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way
    (in strideplan or a library) swallows it.
    """

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_lock = threading.RLock()  # re-entrant: the handler may run while the main thread holds it
_running: set[cp_model.CpSolver] = set()
_stopped: list[int] = []  # the signal that asked to stop, once one did
#: the main thread is waiting for a solve: the handler only stops it (raising there
#: would interrupt Thread.join, which may then return before the C++ search has ended)
_waiting = threading.Event()
#: work for the main thread while the next solve searches (see :func:`meanwhile`)
_meanwhile: list[Callable[[], object]] = []


def meanwhile(work: Callable[[], object]) -> None:
    """Run ``work`` on the main thread while the next solve on it searches: CP-SAT
    leaves the GIL, so what a command needs only after the solve (the workbook writer's
    imports) costs no time there. Its errors come out of that solve's call."""
    _meanwhile.append(work)


def _stop_all() -> None:
    with _lock:
        solvers = list(_running)
    for solver in solvers:
        solver.StopSearch()


def _raise_if_stopped() -> None:
    if _stopped:
        raise Interrupted(_stopped[0])


def _handler(signum: int, _frame: Any) -> None:
    _stopped.append(signum)
    _stop_all()
    if not _waiting.is_set():
        raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM stop every solver and raise :class:`Interrupted`
    on the main thread (where the CLI turns it into exit 130)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is not signal.SIG_IGN:  # e.g. SIGINT of a `cmd &` job
            previous[sig] = signal.signal(sig, _handler)
    _stopped.clear()
    try:
        yield
    except Exception:
        # the signal's Interrupted, raised inside a C extension's import, comes out as
        # that import's ImportError ("initialization failed"): still the interruption
        if _stopped:
            raise Interrupted(_stopped[0]) from None
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stopped.clear()


def run_solver(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> int:
    """``solver.Solve(model, callback)``, stoppable by a signal; returns the CP-SAT status.

    Raises :class:`Interrupted` when a stop signal arrived before or during the solve.
    """
    solver.parameters.catch_sigint_signal = False
    _raise_if_stopped()
    with _lock:
        _running.add(solver)
    try:
        if threading.current_thread() is not threading.main_thread():
            status = solver.Solve(model, callback)
        else:
            status = _solve_in_thread(solver, model, callback)
    finally:
        with _lock:
            _running.discard(solver)
    _raise_if_stopped()
    return status


def _solve_in_thread(solver, model, callback) -> int:
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["status"] = solver.Solve(model, callback)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    _waiting.set()
    try:
        thread.start()
        while _meanwhile and thread.is_alive():
            _meanwhile.pop(0)()
        while thread.is_alive():
            thread.join(0.05)
    except BaseException:
        # KeyboardInterrupt (outside stop_on_signals): stop the search, let it end
        solver.StopSearch()
        while thread.is_alive():
            thread.join(0.05)
        raise
    finally:
        _waiting.clear()
    if "error" in box:
        raise box["error"]
    return box["status"]
