"""The PySide6 front end. Imports laopan; laopan never imports it."""

import time

# The launcher imports this package first, so this is as close to process start as Python code gets.
STARTED = time.perf_counter()
