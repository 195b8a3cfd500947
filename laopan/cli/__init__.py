"""`laopan SUBCOMMAND …`: the command line. Imports no Qt; never waits for input when stdin is not a terminal."""

from laopan.cli.main import main

__all__ = ["main"]
