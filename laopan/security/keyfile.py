"""The database key of an encrypted SQLite desk, wrapped once per user and once under a recovery key (issue 11).

The SQLite file is encrypted by SQLCipher with a random 32-byte key that nobody types. Beside the database,
`<database>.keys` (JSON, mode 0600, always replaced atomically) holds that key wrapped:

- once per login (casefolded): AES-256-GCM under a key derived from the user's password by argon2id, with a
  fresh random salt per wrap and the KDF parameters stored beside it, so a later change of `KDF_PARAMS` never
  strands an old wrap;
- once under the one-time recovery key shown at first start (160 random bits as Crockford base32 in groups of
  four, `ABCD-EFGH-…`); it is already random, so HKDF (not argon2) turns it into the wrapping key.

AES-GCM authenticates: a wrong password or recovery code fails the tag check and is refused — it never yields a
wrong key. The login is the associated data, so a wrap copied to another login does not open either. A password
change re-wraps that user's copy only (`enroll`); the others' wraps are left byte for byte as they were.

The key file is not secret by itself (every wrap needs a password or the recovery key), but without it the
database cannot be opened at all: backups copy both files together.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from laopan.errors import DomainError, StorageError
from laopan.security.passwords import normalize_login

KEY_BYTES = 32
FORMAT = "laopan-keys/1"
SUFFIX = ".keys"
WRONG_CREDENTIALS = "用户名或密码错误"
WRONG_RECOVERY = "恢复密钥不正确：请核对抄下的恢复密钥（字母不分大小写，短横线可省略）"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_BYTES = 20  # 160 bits → 32 characters → 8 groups of 4


@dataclass(frozen=True)
class KdfParams:
    """argon2id parameters used when WRAPPING (unwrapping reads those stored with the wrap)."""

    time_cost: int
    memory_cost: int  # KiB
    parallelism: int


# OWASP floor for argon2id (t=2, m=19 MiB, p=1). Tests switch this to cheap parameters in a session fixture.
KDF_PARAMS = KdfParams(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class WrongSecret(DomainError):
    """A password or recovery code that does not unwrap the key. The message never says which part was wrong."""


class KeyFileProblem(StorageError):
    """The key file is missing, unreadable or not ours."""


def key_path(db_path: str | os.PathLike) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def exists(db_path: str | os.PathLike) -> bool:
    return key_path(db_path).is_file()


# --- recovery code ------------------------------------------------------------------------------------------------


def _encode_recovery(raw: bytes) -> str:
    number = int.from_bytes(raw, "big")
    chars = [_CROCKFORD[(number >> shift) & 31] for shift in range(len(raw) * 8 - 5, -1, -5)]
    return "-".join("".join(chars[i:i + 4]) for i in range(0, len(chars), 4))


def _decode_recovery(code: str) -> bytes:
    text = code.strip().upper().translate(str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None}))
    if len(text) != _RECOVERY_BYTES * 8 // 5 or any(ch not in _CROCKFORD for ch in text):
        raise WrongSecret(WRONG_RECOVERY)
    number = 0
    for ch in text:
        number = (number << 5) | _CROCKFORD.index(ch)
    return number.to_bytes(_RECOVERY_BYTES, "big")


# --- wrapping -----------------------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _aad(label: str) -> bytes:
    return f"laopan database key for {label}".encode()


def _password_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params.time_cost, memory_cost=params.memory_cost,
                           parallelism=params.parallelism, hash_len=KEY_BYTES, type=Type.ID)


def _recovery_kek(raw: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"laopan recovery key").derive(raw)


def _seal(kek: bytes, key: bytes, label: str) -> dict:
    nonce = secrets.token_bytes(12)
    return {"nonce": _b64(nonce), "wrapped": _b64(AESGCM(kek).encrypt(nonce, key, _aad(label)))}


def _open(kek: bytes, wrap: dict, label: str, refusal: str) -> bytes:
    try:
        key = AESGCM(kek).decrypt(_unb64(wrap["nonce"]), _unb64(wrap["wrapped"]), _aad(label))
    except (InvalidTag, KeyError, ValueError):
        raise WrongSecret(refusal) from None
    return key


def _wrap_for_password(key: bytes, login: str, password: str) -> dict:
    params = KDF_PARAMS
    salt = secrets.token_bytes(16)
    return {"kdf": "argon2id", **asdict(params), "salt": _b64(salt),
            **_seal(_password_kek(password, salt, params), key, f"user {login}")}


def _wrap_for_recovery(key: bytes, raw: bytes) -> dict:
    salt = secrets.token_bytes(16)
    return {"kdf": "hkdf-sha256", "salt": _b64(salt), **_seal(_recovery_kek(raw, salt), key, "recovery")}


def _key_check(key: bytes) -> str:
    return _b64(hmac.new(key, b"laopan key check", hashlib.sha256).digest()[:16])


# --- the file -----------------------------------------------------------------------------------------------------


def read(db_path: str | os.PathLike) -> dict:
    path = key_path(db_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileProblem(f"找不到数据库密钥文件 {path}：它必须和数据库放在同一文件夹（备份时一起复制）") from None
    except (OSError, ValueError):
        raise KeyFileProblem(f"数据库密钥文件 {path} 无法读取或已损坏：请从备份恢复（数据库和 .keys 文件一起）") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeyFileProblem(f"{path} 不是本程序的数据库密钥文件")
    return data


def write(db_path: str | os.PathLike, data: dict) -> None:
    """Replace the key file atomically: a crash leaves the old file or the new one, never half of one."""
    path = key_path(db_path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _check(data: dict, key: bytes) -> None:
    if not hmac.compare_digest(data.get("key_check", ""), _key_check(key)):
        raise WrongSecret(WRONG_CREDENTIALS)


# --- API ----------------------------------------------------------------------------------------------------------


def create(db_path: str | os.PathLike, *, login: str, password: str) -> tuple[bytes, str]:
    """A new random database key wrapped for `login` and for a new recovery key: (key, recovery code)."""
    if exists(db_path):
        raise KeyFileProblem(f"数据库密钥文件 {key_path(db_path)} 已存在：不会覆盖")
    key = secrets.token_bytes(KEY_BYTES)
    raw = secrets.token_bytes(_RECOVERY_BYTES)
    login = normalize_login(login)
    write(db_path, {
        "format": FORMAT,
        "cipher": "sqlcipher4, raw 256-bit key",
        "key_check": _key_check(key),
        "users": {login: _wrap_for_password(key, login, password)},
        "recovery": _wrap_for_recovery(key, raw),
    })
    return key, _encode_recovery(raw)


def unlock(db_path: str | os.PathLike, *, login: str, password: str) -> bytes:
    """The database key from `login`'s wrap; WrongSecret ("用户名或密码错误") for an unknown login or wrong password."""
    data = read(db_path)
    login = normalize_login(login)
    wrap = data.get("users", {}).get(login)
    if wrap is None or wrap.get("kdf") != "argon2id":
        # Spend the same work as a real attempt, so timing does not tell which logins have a wrap.
        _password_kek(password, b"\0" * 16, KDF_PARAMS)
        raise WrongSecret(WRONG_CREDENTIALS)
    params = KdfParams(wrap["time_cost"], wrap["memory_cost"], wrap["parallelism"])
    key = _open(_password_kek(password, _unb64(wrap["salt"]), params), wrap, f"user {login}", WRONG_CREDENTIALS)
    _check(data, key)
    return key


def unlock_with_recovery(db_path: str | os.PathLike, code: str) -> bytes:
    data = read(db_path)
    wrap = data.get("recovery") or {}
    raw = _decode_recovery(code)
    try:
        salt = _unb64(wrap["salt"])
    except (KeyError, ValueError):
        raise KeyFileProblem(f"数据库密钥文件 {key_path(db_path)} 中没有恢复密钥") from None
    key = _open(_recovery_kek(raw, salt), wrap, "recovery", WRONG_RECOVERY)
    _check(data, key)
    return key


def enroll(db_path: str | os.PathLike, key: bytes, *, login: str, password: str) -> None:
    """Add `login`'s wrap, or re-wrap it under a new password; every other wrap stays as it was."""
    data = read(db_path)
    _check(data, key)
    login = normalize_login(login)
    data.setdefault("users", {})[login] = _wrap_for_password(key, login, password)
    write(db_path, data)


def remove(db_path: str | os.PathLike, login: str) -> bool:
    """Drop `login`'s wrap (a disabled user). Returns whether there was one."""
    data = read(db_path)
    found = data.get("users", {}).pop(normalize_login(login), None) is not None
    if found:
        write(db_path, data)
    return found


def logins(db_path: str | os.PathLike) -> list[str]:
    return sorted(read(db_path).get("users", {}))


def new_recovery(db_path: str | os.PathLike, key: bytes) -> str:
    """Replace the recovery wrap with one under a new recovery key (the old code stops working); the new code."""
    data = read(db_path)
    _check(data, key)
    raw = secrets.token_bytes(_RECOVERY_BYTES)
    data["recovery"] = _wrap_for_recovery(key, raw)
    write(db_path, data)
    return _encode_recovery(raw)
