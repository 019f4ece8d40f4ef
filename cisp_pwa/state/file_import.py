"""An admin screen's file import (a pathway, partner services): the upload goes to the screen's
service, and what went in or why it was refused shows next to the import."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from cisp_pwa.models import Role
from cisp_pwa.services.actor import Actor

from .file_errors import PATHWAY, import_upload
from .session import signed_in


class FileImportMixin(rx.State, mixin=True):
    """For a SessionState with `_load(actor)`; the screen says which file, through `_import_text`,
    and what its notice says, through `_import_notice`."""

    IMPORT_FILE_NAME: ClassVar[str] = "import.yaml"  # when the browser gives no file name
    IMPORT_KIND: ClassVar[str] = PATHWAY  # which words say a broken file (file_errors)
    import_error: str = ""  # "", "not_text" or "invalid" (its words in import_error_detail)
    import_error_detail: str = ""
    import_notice: str = ""

    def _import_text(self, actor: Actor, text: str, name: str) -> Any:
        raise NotImplementedError

    def _import_notice(self, report: Any) -> str:
        raise NotImplementedError

    @rx.event
    @signed_in(Role.admin, error="import_error")  # a refused file says why next to the import
    async def import_file(self, actor: Actor, files: list[rx.UploadFile]):
        self.import_notice = ""
        self.import_error, self.import_error_detail, report = await import_upload(
            files, lambda text, name: self._import_text(actor, text, name), self.IMPORT_FILE_NAME, actor.locale,
            self.IMPORT_KIND)
        if report:
            self.import_notice = self._import_notice(report)
        self._load(actor)
