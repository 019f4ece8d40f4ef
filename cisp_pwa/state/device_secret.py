"""The device secret on the phone (services/people/devices.py): kept in local storage under a key of
its own per account (`cisp_device:<login>`), so a phone shared by two trainees keeps one for
each. It never passes through a screen's server-side state: it is written by a script the
server sends once, and read by the page when the sign-in form is sent.

Sign-out keeps it (components/offline.jsx forgets only copies, drafts and the session): it
names the phone, not the session, and opens nothing without her PIN."""

from __future__ import annotations

import json

import reflex as rx

PREFIX = "cisp_device:"

# What the phone keeps for the login typed in the sign-in form ("" when nothing), read when the
# form is sent: an argument of the sign-in event.
FOR_TYPED_LOGIN = rx.Var(
    _js_expr=("(() => { try { const f = document.getElementById('login'); "
              f"return window.localStorage.getItem({json.dumps(PREFIX)} + (f ? f.value.trim().toLowerCase() : '')) || ''; "
              "} catch (e) { return ''; } })()"),
    _var_type=str,
)


def keep(login: str, secret: str, then: str = "") -> rx.event.EventSpec:
    """Keep this account's device secret on the phone (then run `then`, a script)."""
    key = json.dumps(PREFIX + login)
    return rx.call_script(f"try {{ window.localStorage.setItem({key}, {json.dumps(secret)}); }} catch (e) {{}} {then}")
