"""Unlocking an encrypted desk's key at login, with the lock-out the login service applies (issue 11).

Before the database is open there is no database to count failed logins in, so the attempts against the key
file are counted in the key file itself: after `MAX_FAILURES` wrong passwords for a login, that login is locked
for `LOCK_MINUTES` (the defaults of the committee's login settings, which cannot be read before the key is).
Each failure is also kept as pending; the next successful open writes them to the audit as `login.failed`
(`Unlocked.pending_failures`), so a failed attempt on a closed database is never lost from the record.
"""

import datetime as dt
import os
from dataclasses import dataclass, field

from laopan.clock import Clock
from laopan.errors import DomainError
from laopan.security import keyfile
from laopan.security.passwords import normalize_login

MAX_FAILURES = 5
LOCK_MINUTES = 15
_PENDING_LIMIT = 500


class LockedOut(DomainError):
    pass


@dataclass(frozen=True)
class Unlocked:
    key: bytes
    pending_failures: list[dict] = field(default_factory=list)  # {"login": …, "at": ISO instant (UTC)}


def _locked_until(entry: dict, now: dt.datetime) -> dt.datetime | None:
    text = entry.get("locked_until")
    if not text:
        return None
    until = dt.datetime.fromisoformat(text)
    return until if until > now else None


def lockout_message(until: dt.datetime) -> str:
    local = until.astimezone(dt.timezone(dt.timedelta(hours=8)))
    # The same sentence as the login service's lock-out (laopan.services.login), in Beijing time: the
    # committee's time zone is inside the database this key opens.
    return f"密码错误次数过多，该用户已锁定至 {local:%Y年%m月%d日 %H:%M}，请稍后再试或联系管理员"


def unlock_desk(db_path: str | os.PathLike, *, login: str, password: str, clock: Clock) -> Unlocked:
    """The database key for `login`'s password; a wrong one is counted (and may lock the login out)."""
    now = clock.now().astimezone(dt.UTC)
    name = normalize_login(login)
    data = keyfile.read(db_path)
    entry = data.get("failures", {}).get(name, {})
    until = _locked_until(entry, now)
    if until is not None:
        raise LockedOut(lockout_message(until))
    try:
        key = keyfile.unlock(db_path, login=login, password=password)
    except keyfile.WrongSecret:
        _count_failure(db_path, name, now)
        raise
    data = keyfile.read(db_path)
    pending = data.pop("pending_failures", [])
    failures = data.get("failures", {})
    if pending or name in failures:
        failures.pop(name, None)
        keyfile.write(db_path, data)
    return Unlocked(key=key, pending_failures=pending)


def _count_failure(db_path, name: str, now: dt.datetime) -> None:
    data = keyfile.read(db_path)
    failures = data.setdefault("failures", {})
    entry = failures.setdefault(name, {"count": 0})
    entry["count"] = entry.get("count", 0) + 1
    if entry["count"] >= MAX_FAILURES:
        entry["count"] = 0
        entry["locked_until"] = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat()
    pending = data.setdefault("pending_failures", [])
    pending.append({"login": name, "at": now.isoformat()})
    del pending[:-_PENDING_LIMIT]
    keyfile.write(db_path, data)


def clear_failures(db_path: str | os.PathLike, login: str) -> None:
    """Lift `login`'s lock-out (its password was just reset with the recovery key)."""
    data = keyfile.read(db_path)
    if data.get("failures", {}).pop(normalize_login(login), None) is not None:
        keyfile.write(db_path, data)
