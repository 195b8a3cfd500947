"""The print centre: many agreements or 卷宗 at once (issue 14)."""
