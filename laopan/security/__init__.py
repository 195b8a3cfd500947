"""Who may open the desk and what they may do: passwords, database keys, permissions (issue 11). Qt-free."""
