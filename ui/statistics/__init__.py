"""The 统计 page: a period's figures, charts of the year, the breakdown table and the monthly report."""
