"""Free text a person typed: tidied, refused when empty or too long, whatever the service."""

from __future__ import annotations

import pytest

from cisp_pwa.services import free_text
from cisp_pwa.services.errors import InvalidInput


def test_text_is_kept_without_the_spaces_around_it_and_one_line_text_without_runs_of_spaces():
    assert free_text.checked("  Bonjour,\n\nà demain  ", 50, too_long="long") == "Bonjour,\n\nà demain"
    assert free_text.checked("  Trouver \n un   logement ", 50, too_long="long", one_line=True) == "Trouver un logement"


@pytest.mark.parametrize("text", ["", "   \n ", None, 42, ["a"]])
def test_nothing_written_is_refused_with_its_code_where_text_is_required(text):
    with pytest.raises(InvalidInput) as refused:
        free_text.checked(text, 50, empty="note_empty", too_long="note_too_long")
    assert refused.value.code == "note_empty"
    assert free_text.checked(text, 50, too_long="note_too_long") == ""  # optional text: nothing is fine


def test_too_long_is_refused_with_the_maximum_counted_after_tidying():
    assert free_text.checked("a" * 10 + "   ", 10, too_long="reason_too_long") == "a" * 10
    with pytest.raises(InvalidInput) as refused:
        free_text.checked("a" * 11, 10, too_long="reason_too_long")
    assert refused.value.code == "reason_too_long" and refused.value.details == {"maximum": 10}
