"""An unexpected error (a bug, not a refusal): logged with its traceback under a short reference the user can
quote, and shown as a Chinese sentence with that reference — never as a Python repr."""

import logging
import secrets

from PySide6.QtCore import QCoreApplication

from laopan.clock import DEFAULT_TZ, local_date, system_clock

log = logging.getLogger(__name__)


def new_reference() -> str:
    """"E20261204-1a2b": the day (the desk's zone) and four random hex digits, short enough to read out."""
    return f"E{local_date(system_clock().now(), DEFAULT_TZ):%Y%m%d}-{secrets.token_hex(2)}"


def record_unexpected(error: BaseException, what: str = "程序出错") -> str:
    """Log `error` with its traceback under a new reference; returns the reference."""
    reference = new_reference()
    log.error("%s（错误编号 %s）", what, reference, exc_info=(type(error), error, error.__traceback__))
    return reference


def unexpected_text(reference: str) -> str:
    return QCoreApplication.translate("incident", "程序出错，已记录（错误编号 %1），请联系管理员。").replace("%1", reference)


def report_unexpected(error: BaseException, what: str = "程序出错") -> str:
    """Log it and return the sentence to show."""
    return unexpected_text(record_unexpected(error, what))
