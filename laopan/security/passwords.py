"""Login passwords: argon2id hashes (never the password itself), casefolded logins, the rules for a new password.

`PARAMS` are the parameters used when hashing; verifying reads them from the stored hash, so raising them later
leaves old hashes valid. Production: t=2, m=19 MiB, p=1 (the OWASP floor, ~20–30 ms a hash). The test suite swaps
in cheap ones (tests/conftest.py).
"""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from laopan.errors import ValidationError

PARAMS: dict[str, int] = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
MIN_LENGTH = 8
MAX_LENGTH = 256


def _hasher() -> PasswordHasher:
    return PasswordHasher(type=Type.ID, **PARAMS)


def hash_password(password: str) -> str:
    """The argon2id hash of `password` (salted: two hashes of one password differ)."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` is the one `stored_hash` was made from; a missing or damaged hash matches nothing."""
    if not stored_hash:
        return False
    try:
        return PasswordHasher(type=Type.ID).verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_new_password(password: str) -> None:
    """Refuse a password too weak to protect the street's personal data (ValidationError naming 密码)."""
    if password is None or not password.strip():
        raise ValidationError("密码", "密码不能为空")
    if len(password) < MIN_LENGTH:
        raise ValidationError("密码", f"密码至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise ValidationError("密码", f"密码最多 {MAX_LENGTH} 个字符")
    if password != password.strip():
        raise ValidationError("密码", "密码首尾不能有空格")
    if len(set(password)) < 3:
        raise ValidationError("密码", "密码过于简单：请至少使用 3 个不同的字符")


def normalize_login(login: str) -> str:
    """Logins are case-insensitive: `Admin` and `admin` are one user, stored casefolded."""
    return (login or "").strip().casefold()
