"""The `laopan` console script: with a subcommand it runs the CLI without importing Qt; without one it opens
the window (DESIGN §2)."""

import os
import sys

from laopan.worker import VALUED as _VALUED


def _wants_window(argv: list[str]) -> bool:
    """No subcommand and no help asked for. Decided from the words alone: building the CLI's parser here would
    cost every scripted `laopan cases …` a second parser and its imports (issue 16 item 6)."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return False
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_window(argv):
        from ui.shell.app import run

        return run(argv)
    from laopan.worker.client import relay

    try:
        code = relay(argv)  # the warm process of `laopan worker start`, when one runs (issue 16 item 6)
        if code is None:
            from laopan.cli import main as cli_main

            code = cli_main(argv)
        sys.stdout.flush()  # inside the try: a pipe closed early fails here, not in the interpreter's exit flush
        return code
    except BrokenPipeError:
        # `laopan cases | head`: the reader has what it wanted. Stop quietly like other Unix tools; stdout goes to
        # devnull so the flush at exit cannot complain either. 141 = 128 + SIGPIPE, what a shell reports for them.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def main_gui() -> int:
    """Entry point of the `laopan-desk` gui-script (a Windows shortcut without a console window)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
