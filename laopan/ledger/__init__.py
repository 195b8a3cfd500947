"""Excel 台账 in and out: reading old ledgers (xlsx/csv), mapping their columns, importing them through the intake
rules in bulk, and exporting a filtered case list as a masked 台账 (issue 15, items 5 and 6)."""
