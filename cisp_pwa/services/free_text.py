"""Free text a person typed (a message, a note, a reason, a title, a name): tidied, then refused
with a clear code when it is empty or too long. One rule for every service that keeps such text."""

from __future__ import annotations

from .errors import InvalidInput


def checked(text: str, maximum: int, *, too_long: str, empty: str | None = None, one_line: bool = False) -> str:
    """`text` without the spaces around it (with `one_line`: every run of spaces and line breaks
    made one space). InvalidInput(`empty`) when nothing is left and `empty` is given, and
    InvalidInput(`too_long`, maximum=...) past `maximum` characters. What is not a string (a
    forged call) counts as nothing written."""
    text = text if isinstance(text, str) else ""
    text = " ".join(text.split()) if one_line else text.strip()
    if not text and empty:
        raise InvalidInput(empty)
    if len(text) > maximum:
        raise InvalidInput(too_long, maximum=maximum)
    return text
