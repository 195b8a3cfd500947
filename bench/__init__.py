"""`make bench`: figures against DESIGN §6, each beside a floor measured in the same run.

Its desks keep their settings (the chosen committee, the current user) in `.bench/home`, never in the user's own
data dir: setting up a district's committees would otherwise make the last one the user's desk.
"""

import os
from pathlib import Path

BENCH_PASSWORD = "laopan-bench"
os.environ.setdefault("LAOPAN_DATA_DIR", str(Path(".bench", "home").resolve()))


def bench_desk(engine, *, clock):
    """The administrator's desk on a bench database; one cached before logins existed gets the bench password."""
    from sqlalchemy import text

    from laopan.desk import open_desk
    from laopan.security.passwords import hash_password
    from laopan.storage import session_scope

    with session_scope(engine) as session:
        session.connection().execute(text("UPDATE app_user SET password_hash = :h WHERE login = 'admin' AND password_hash IS NULL"),
                                     {"h": hash_password(BENCH_PASSWORD)})
    from laopan.models.enums import DEFAULT_COMMITTEE

    return open_desk(engine=engine, login="admin", password=BENCH_PASSWORD, committee=DEFAULT_COMMITTEE, clock=clock)
