"""Typed errors the services raise. Each carries a message id the screens translate."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class. `code` is stable and never holds personal data."""

    code = "error"

    def __init__(self, code: str | None = None, **details: object) -> None:
        super().__init__(code or self.code)
        if code:
            self.code = code
        self.details = details


class AccessDenied(ServiceError):
    """The actor may not see or touch this. Also raised for ids that do not exist,
    so that a probing browser learns nothing."""

    code = "access_denied"


class NotSignedIn(ServiceError):
    code = "not_signed_in"


class SignInRefused(ServiceError):
    """Same error for an unknown login and a wrong secret."""

    code = "sign_in_refused"


class DeviceUnknown(SignInRefused):
    """A PIN from a phone that holds no secret of this account (or a wrong or revoked one): it
    needs a new access code. The same answer for an unknown login."""

    code = "device_unknown"


class SignInThrottled(ServiceError):
    code = "sign_in_throttled"


class InvalidInput(ServiceError):
    code = "invalid_input"


class FileError(ServiceError):
    """An imported file is broken: names the file, the line and the field (services/infra/yaml_files.py)."""

    code = "import_file"


class PathwayFileError(FileError):
    """A pathway file is broken."""

    code = "pathway_file"


class PartnerFileError(FileError):
    """A file of partner services is broken."""

    code = "partner_file"


class TimetableFileError(FileError):
    """A centre's timetable file (groups, their week, closed days) is broken."""

    code = "timetable_file"


class Throttled(ServiceError):
    """Too many in a short while: nothing was done; the same may work a bit later.
    `retry_after` (seconds) in details."""

    code = "too_many"
