"""The case interchange format `laopan.case/1` (DESIGN §7): a public contract for import and export."""
