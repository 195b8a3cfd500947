"""Domain errors: what a user can act on, in Chinese. The CLI prints them; the window shows them."""

__all__ = ["Conflict", "DomainError", "InvalidTransition", "NotFound", "PermissionDenied", "Refused", "StorageError", "ValidationError"]


class DomainError(Exception):
    """A refusal the user can act on; `str(e)` is the Chinese message."""


class ValidationError(DomainError, ValueError):
    """A refused value.

    `field` names what was wrong (a Chinese label like "身份证号" or a JSON
    path like "cases[2].parties[0].id_number"); `message` says what is wrong,
    in Chinese.
    """

    def __init__(self, field: str, message: str):
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def at(self, field: str) -> "ValidationError":
        """Returns a new error with the same message under another field name."""
        return type(self)(field, self.message)


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


class StorageError(DomainError):
    """The database cannot be opened or written (missing, busy, read-only, not ours, newer than the program).

    `str(e)` is one Chinese sentence naming the file or server (never a password) and the next step.
    """
