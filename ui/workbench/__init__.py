"""The 工作台 page: my cases, overdue, due soon, awaiting my review."""
