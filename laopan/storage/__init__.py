"""Engines, sessions and schema migrations. Nothing here runs at import time."""

from laopan.storage.engine import backend_label, database_key, make_engine, read_session, session_scope

__all__ = ["backend_label", "database_key", "make_engine", "read_session", "session_scope"]
