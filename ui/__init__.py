"""The PySide6 front end. Imports laopan; laopan never imports it."""
