"""One guard around every event handler of the app's states.

Any browser, or a script speaking the socket protocol, can send any event with any payload.
Before a handler runs, its arguments are checked against its annotations (type, size, text a
person could have typed); a refused event changes nothing and the screen says why in the
person's language (`error` var). While it runs, a service's refusal becomes the message id of
why; anything else is logged as a type and a line (logs.py), never raised to Reflex, whose own
log would carry the event's payload.

`SessionState.__init_subclass__` wraps every handler of every state class, so a new handler
cannot be forgotten. A handler that acts for someone says so with `session.signed_in`, which
may name the field its refusals go to (`ERROR_FIELD`); the mapping itself stays here.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import typing
from typing import Any, Callable

from cisp_pwa import logs, reflex_internals
from cisp_pwa.services.errors import AccessDenied, InvalidInput, Throttled

logger = logging.getLogger("cisp_pwa.guard")

TEXT_MAX = 10_000  # characters in one argument or form field: above every limit of the services
FORM_FIELDS_MAX = 64
LIST_MAX = 100
ID_MAX = 2**53  # ids and levels: what a browser's number holds exactly
# Characters a person can type or paste: tab and line breaks, not the other control characters.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}

# Message ids the screens translate (cisp_pwa/words.py: common_errors).
BAD_TEXT = "text_unreadable"
BAD_REQUEST = "bad_request"
FAILED = "failed"

GUARDED = "__cisp_guarded__"  # set on a handler once wrapped
# Set on a handler whose refusals go to another field than its state's ERROR_VAR (signed_in).
ERROR_FIELD = "__cisp_error_field__"


class Refused(Exception):
    """An argument the handler must not see. `code` is what the person is told."""

    def __init__(self, code: str, why: str) -> None:
        super().__init__(why)
        self.code = code


def check_text(value: Any, name: str) -> str:
    """Text as a person writes it: no NUL or other control character, no lone surrogate."""
    if not isinstance(value, str):
        raise Refused(BAD_REQUEST, f"{name}: not text")
    if len(value) > TEXT_MAX:
        raise Refused(BAD_TEXT, f"{name}: longer than {TEXT_MAX}")
    for char in value:
        if (char < " " and char not in _ALLOWED_CONTROLS) or char == "\x7f" or "\ud800" <= char <= "\udfff":
            raise Refused(BAD_TEXT, f"{name}: control character or lone surrogate")
    return value


def _check_int(value: Any, name: str) -> int:
    if type(value) is not int or not 0 <= value <= ID_MAX:
        raise Refused(BAD_REQUEST, f"{name}: not a whole number in range")
    return value


def _check_bool(value: Any, name: str) -> bool:
    if type(value) is not bool:
        raise Refused(BAD_REQUEST, f"{name}: not true or false")
    return value


def _check_field(value: Any, name: str) -> Any:
    """One value of a submitted form: text, a number, a tick, nothing, or a list of texts."""
    if value is None or type(value) is bool:
        return value
    if type(value) is int or type(value) is float:
        if not math.isfinite(value) or abs(value) > ID_MAX:
            raise Refused(BAD_REQUEST, f"{name}: number out of range")
        return value
    if isinstance(value, list):
        if len(value) > LIST_MAX:
            raise Refused(BAD_REQUEST, f"{name}: list too long")
        return [check_text(v, name) for v in value]
    return check_text(value, name)


def _check_dict(value: Any, name: str) -> dict:
    if not isinstance(value, dict) or len(value) > FORM_FIELDS_MAX:
        raise Refused(BAD_REQUEST, f"{name}: not a form")
    for key, field in value.items():
        if not isinstance(key, str) or len(key) > 64:
            raise Refused(BAD_REQUEST, f"{name}: field name")
        _check_field(field, f"{name}.{key[:64]}")
    return value


def _check_dicts(value: Any, name: str) -> list:
    if not isinstance(value, list) or len(value) > LIST_MAX:
        raise Refused(BAD_REQUEST, f"{name}: not a list")
    return [_check_dict(v, name) for v in value]


def _uploads(kind: type) -> Callable[[Any, str], Any]:
    """Files come through Reflex's upload endpoint, which builds these objects; the same
    handler reached by a socket event gets whatever the event carried."""
    def check(value: Any, name: str) -> list:
        if not isinstance(value, list) or len(value) > LIST_MAX or not all(isinstance(v, kind) for v in value):
            raise Refused(BAD_REQUEST, f"{name}: not uploaded files")
        return value
    return check


# Each annotation a handler may use, and its check. A handler with another annotation fails at
# import: add its rule here.
CHECKS: dict[Any, Callable[[Any, str], Any]] = {
    str: check_text,
    int: _check_int,
    bool: _check_bool,
    dict: _check_dict,
    list[dict]: _check_dicts,
}


def _check_for(hint: Any) -> Callable[[Any, str], Any]:
    if hint in CHECKS:
        return CHECKS[hint]
    args = typing.get_args(hint)
    if typing.get_origin(hint) is list and args and getattr(args[0], "__name__", "") == "UploadFile":
        return _uploads(args[0])
    raise TypeError(f"no guard rule for the annotation {hint!r}: add it to guard.CHECKS")


def _set_error(state: Any, code: str, field: str | None = None) -> None:
    cls = type(state)
    if not hasattr(cls, "get_fields"):
        return  # a background handler's state (a proxy, read-only here): no screen asked
    field = field or getattr(cls, "ERROR_VAR", "error")
    if field in cls.get_fields():
        setattr(state, field, code)


def _refusal(state: Any, exc: Exception, name: str, field: str | None = None) -> None:
    """What a refused or failed call leaves: the reason on the screen (in `field`, else the
    state's ERROR_VAR), one line in the log."""
    if isinstance(exc, Refused):
        logger.warning("refused an event for %s (%s)", name, exc)
        _set_error(state, exc.code, field)
    elif isinstance(exc, (InvalidInput, Throttled)):
        _set_error(state, exc.code, field)
    elif isinstance(exc, AccessDenied):
        _set_error(state, "not_allowed", field)
    else:
        logs.on_backend_error(exc)
        _set_error(state, FAILED, field)


def guarded(fn: Callable) -> Callable:
    """`fn` with its arguments checked first and nothing raised."""
    if getattr(fn, GUARDED, False):
        return fn
    signature = inspect.signature(fn)
    hints = typing.get_type_hints(fn)
    checks = {name: _check_for(hints.get(name, Any)) for name in list(signature.parameters)[1:]}
    name = fn.__qualname__
    field = getattr(fn, ERROR_FIELD, None)

    def bind(state, args, kwargs) -> inspect.BoundArguments:
        try:
            bound = signature.bind(state, *args, **kwargs)
        except TypeError:
            raise Refused(BAD_REQUEST, "arguments do not match") from None
        for key, value in list(bound.arguments.items())[1:]:
            bound.arguments[key] = checks[key](value, key)
        return bound

    if inspect.isasyncgenfunction(fn):
        @functools.wraps(fn)
        async def wrapper(self, *args, **kwargs):
            try:
                bound = bind(self, args, kwargs)
                async for item in fn(*bound.args, **bound.kwargs):
                    yield item
            except Exception as exc:  # noqa: BLE001 - see the module's docstring
                _refusal(self, exc, name, field)
    elif inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def wrapper(self, *args, **kwargs):
            try:
                bound = bind(self, args, kwargs)
                return await fn(*bound.args, **bound.kwargs)
            except Exception as exc:  # noqa: BLE001
                _refusal(self, exc, name, field)
                return None
    else:
        @functools.wraps(fn)
        def wrapper(self, *args, **kwargs):
            try:
                bound = bind(self, args, kwargs)
                return fn(*bound.args, **bound.kwargs)
            except Exception as exc:  # noqa: BLE001
                _refusal(self, exc, name, field)
                return None

    setattr(wrapper, GUARDED, True)
    return wrapper


def setvar(self, var_name: str, value: str):
    """Reflex gives every state a `setvar` handler that sets any var from the page. The
    screens never use it: a forged one is refused and changes nothing."""
    raise Refused(BAD_REQUEST, "setvar is not used by the screens")


def close_setvar(cls: type) -> None:
    """Put the refusing `setvar` in place of Reflex's on this state class."""
    reflex_internals.replace_setvar(cls, guarded(setvar))


def guard_class(cls: type) -> None:
    """Wrap the handlers a state class defines (and those of its mixins), before Reflex
    turns them into event handlers."""
    owners = [cls, *reflex_internals.mixins(cls)]
    for owner in owners:
        for key, value in list(vars(owner).items()):
            if key.startswith("_") or not inspect.isfunction(value) or getattr(value, GUARDED, False):
                continue
            field = getattr(value, ERROR_FIELD, None)
            if field and not any(field in vars(c).get("__annotations__", {}) for c in cls.__mro__):
                # A misspelt field would lose the handler's refusals without a word.
                raise TypeError(f"{cls.__name__}.{key}: no field {field!r} for its refusals")
            setattr(owner, key, guarded(value))
