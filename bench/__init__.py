"""`make bench`: figures against DESIGN §6, each beside a floor measured in the same run."""

BENCH_PASSWORD = "laopan-bench"


def bench_desk(engine, *, clock):
    """The administrator's desk on a bench database; one cached before logins existed gets the bench password."""
    from sqlalchemy import text

    from laopan.desk import open_desk
    from laopan.security.passwords import hash_password
    from laopan.storage import session_scope

    with session_scope(engine) as session:
        session.connection().execute(text("UPDATE app_user SET password_hash = :h WHERE login = 'admin' AND password_hash IS NULL"),
                                     {"h": hash_password(BENCH_PASSWORD)})
    return open_desk(engine=engine, login="admin", password=BENCH_PASSWORD, clock=clock)
