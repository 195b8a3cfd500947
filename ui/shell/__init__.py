"""The window's frame: start-up, first start, the main window and its navigation."""
