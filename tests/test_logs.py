"""The log never carries what a person wrote, a token or an event's payload (cisp_pwa/logs.py)."""

from __future__ import annotations

import logging

from cisp_pwa import logs

SECRET = "Je dois 4 000 euros au CPAS"


def test_reflex_warnings_lose_the_values_they_would_echo(caplog):
    logs.install()
    noisy = logging.getLogger("reflex_base.event.processor.base_state_processor")
    with caplog.at_level(logging.WARNING):
        noisy.warning("Error transforming event payload for handler send: Error transforming event argument "
                      f"'body' with value '{SECRET}' and type hint 'str'")
        noisy.error("Error processing event queue entry for Event(token='tab-token-123', name='x.send', "
                    f"payload={{'body': '{SECRET}'}}) [txid=1]:")
    text = caplog.text
    assert SECRET not in text and "tab-token-123" not in text
    assert "Error transforming event argument 'body' with value (not logged)" in text  # what, not the value
    assert "Event(not logged)" in text


def test_a_failing_handler_is_logged_by_type_and_place_only(caplog):
    def handler_that_fails(form):
        return form.get("body")  # a list came instead of a form

    try:
        handler_that_fails([SECRET])
    except AttributeError as exc:
        with caplog.at_level(logging.ERROR):
            assert logs.on_backend_error(exc) is None
    assert "a handler failed: AttributeError" in caplog.text
    assert SECRET not in caplog.text and "get" not in caplog.text.split("AttributeError")[1]
