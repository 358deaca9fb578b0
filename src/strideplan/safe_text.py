"""Text shown on a terminal: never an escape sequence (a name, a path or a workbook cell
could otherwise move the cursor, retitle the window or hide what follows)."""

from __future__ import annotations

import re

#: C0/C1 control characters (ESC starts terminal escape sequences) and bidi overrides
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """Control characters shown as ``\\xNN``, never passed through; tabs and newlines
    stay."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
