"""Alembic environment: SQLModel's metadata, batch mode for SQLite, types compared."""

from alembic import context

from laopan.storage.migrate import configure_kwargs


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from laopan.settings import database_url
        from laopan.storage.engine import make_engine

        with make_engine(database_url()).connect() as own:
            context.configure(connection=own, **configure_kwargs())
            with context.begin_transaction():
                context.run_migrations()
            own.commit()
        return
    context.configure(connection=connection, **configure_kwargs())
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
