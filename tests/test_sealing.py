"""The screens' states leave the process sealed (state/sealing.py): what Reflex would store in
Redis holds no message, no name, no token, and comes back whole."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from cisp_pwa import cisp_pwa, settings  # noqa: F401 - the states as the server builds them
from cisp_pwa.state import sealing
from cisp_pwa.state.conversation import ConversationState, MessageRow


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("CISP_STATE_KEY", Fernet.generate_key().decode())
    monkeypatch.setattr(sealing, "_fernet", None)
    yield
    sealing._fernet = None


def _screen() -> ConversationState:
    state = ConversationState(_reflex_internal_init=True)
    state.trainee_name = "Amina Benali"
    state.messages = [MessageRow(1, "c1", "Amina Benali", True, "Mes dettes au CPAS", "10:00")]
    return state


def test_a_stored_screen_holds_no_message_and_no_name_and_comes_back_whole(key):
    stored = _screen()._serialize()
    assert b"Mes dettes" not in stored and b"Amina" not in stored
    back = ConversationState._deserialize(stored)
    assert back.messages[0].body == "Mes dettes au CPAS" and back.trainee_name == "Amina Benali"


def test_a_state_sealed_with_another_key_starts_afresh(key, monkeypatch):
    stored = _screen()._serialize()
    monkeypatch.setenv("CISP_STATE_KEY", Fernet.generate_key().decode())
    monkeypatch.setattr(sealing, "_fernet", None)
    back = ConversationState._deserialize(stored)
    assert back.messages == [] and back.trainee_name == ""


def test_without_a_set_key_the_workers_of_a_machine_share_one_file(monkeypatch, tmp_path):
    monkeypatch.delenv("CISP_STATE_KEY", raising=False)
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    monkeypatch.setattr(sealing, "_fernet", None)
    first = sealing.seal({"x": 1})
    monkeypatch.setattr(sealing, "_fernet", None)  # another worker, the same file
    assert sealing.unseal(first) == {"x": 1}
    assert (tmp_path / "state.key").stat().st_mode & 0o777 == 0o600
