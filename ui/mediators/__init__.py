"""The 调解员 page: the roster, pairings and mentoring records."""
