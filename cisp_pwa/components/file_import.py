"""An admin screen's file import (a pathway, partner services): the upload button, then why the
file changed nothing or that it went in. Its state: state/file_import.py (FileImportMixin)."""

from __future__ import annotations

import reflex as rx

from cisp_pwa.components import kit, labels

_YAML = {"application/x-yaml": [".yaml", ".yml"], "text/yaml": [".yaml", ".yml"]}


def upload_button(state: type[rx.State], label: str, upload_id: str) -> rx.Component:
    # The label wraps the drop zone and its file input: the input gets a name, and a click on
    # the label opens the file picker once (the zone's own click is off).
    return rx.el.label(
        rx.upload.root(
            rx.el.span(rx.icon("upload", size=20, aria_hidden="true"), label,
                       class_name=kit.SECONDARY + " cursor-pointer"),
            id=upload_id,
            multiple=False,
            no_click=True,
            accept=_YAML,
            on_drop=state.import_file(rx.upload_files(upload_id=upload_id)),
        ),
        class_name="self-start",
    )


def import_outcome(state: type[rx.State], reasons: dict, done: str, locale: str,
                   ids: tuple[str, str, str]) -> tuple[rx.Component, rx.Component]:
    """The refusal with its detail, or `done`; ids: the alert's, the detail's, the notice's."""
    alert_id, detail_id, notice_id = ids
    return (
        labels.detailed_error_notice(state.import_error, state.import_error_detail, reasons, locale, alert_id,
                                     detail_id),
        rx.cond(state.import_notice != "", kit.notice(done, tone="ok", role="status", id=notice_id)),
    )
