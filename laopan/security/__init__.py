"""Qt-free security pieces: password hashing, the database key file, the permission table (issue 11)."""
