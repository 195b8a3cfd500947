"""The 案件 page: the lazy case list, the detail panel with its tabs, intake, actions and their dialogs."""
