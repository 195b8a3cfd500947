"""Business rules: every permission check, validation, transition and audit entry happens here."""
