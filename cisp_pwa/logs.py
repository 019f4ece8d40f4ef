"""What the server's log may say: what failed and where, never what a person wrote, a token or
an event's payload (messages, notes and drafts are sensitive personal data).

- `on_backend_error`, the app's backend exception handler: a handler that raised is logged as
  its exception type and the line of our code where it happened, never the event (whose payload
  holds what the person typed and whose repr holds the tab's token) nor the exception's text.
- `install()`: every log record is cleaned where it is made: Reflex writes the value of an
  argument it could not convert, and the repr of an event when queueing it fails; both go.
"""

from __future__ import annotations

import logging
import re
import traceback

logger = logging.getLogger("cisp_pwa")

# "... event argument 'body' with value '<what was typed>' and type hint ..."
_VALUE = re.compile(r"with value '.*?' and type hint", re.S)
_EVENT = re.compile(r"Event\(.*", re.S)


def on_backend_error(exception: Exception) -> None:
    """Reflex calls this for any exception a handler raised: one line, no payload, no text.

    (Reflex checks this signature: the parameter is named `exception`, the return is None.)
    """
    frames = traceback.extract_tb(exception.__traceback__)
    ours = [f for f in frames if "/cisp_pwa/" in f.filename]
    # Our innermost line; else the library's (a forged event can fail before our code runs).
    frame = (ours or frames or [None])[-1]
    where = f"{frame.filename.rsplit('/', 2)[-2]}/{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}" \
        if frame else "?"
    logger.error("a handler failed: %s at %s", type(exception).__name__, where)


def clean(message: str) -> str:
    return _EVENT.sub("Event(not logged)", _VALUE.sub("with value (not logged) and type hint", message))


def install() -> None:
    """Clean every record as it is made (once per process)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "cisp_cleans", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record: keep it as it is
            return record
        cleaned = clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
            if "Event(" in message:  # its traceback would carry the event again
                record.exc_info, record.exc_text = None, None
        return record

    factory.cisp_cleans = True
    logging.setLogRecordFactory(factory)
