"""Who may do what, passwords and keys: the Qt-free security rules (issue 11)."""
