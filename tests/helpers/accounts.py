"""The one password of every user the test helpers create, and cheap argon2 parameters for the test session."""

TEST_PASSWORD = "laopan-test-密码1"

# Hashing with production parameters (19 MiB, t=2) costs ~25 ms a user; the suite creates thousands.
CHEAP_PARAMS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
