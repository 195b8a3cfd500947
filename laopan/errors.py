"""Domain errors: what a user can act on, in Chinese. The CLI prints them; the window shows them."""

from laopan.validation import ValidationError

__all__ = ["Conflict", "DomainError", "InvalidTransition", "NotFound", "PermissionDenied", "Refused", "ValidationError"]


class DomainError(Exception):
    """A refusal the user can act on; `str(e)` is the Chinese message."""


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class Conflict(DomainError):
    """Someone else saved the row since it was read: "已被 X 于 T 修改，请刷新"."""


class Refused(DomainError):
    """Several validation errors at once (an intake form, an import file): nothing was saved."""

    def __init__(self, errors: list[ValidationError], warnings: list[str] | None = None):
        self.errors = errors
        self.warnings = warnings or []
        super().__init__("\n".join(str(error) for error in errors))
