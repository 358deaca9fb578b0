"""``python -m strideplan.cli``: as the console script (exit at once when done)."""

from ..entry import console

console()
