"""Widgets and plumbing every page shares: the worker, form fields, row tables, style, fonts, the case form base."""
