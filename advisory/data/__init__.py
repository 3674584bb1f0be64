"""Your data: export, restore, importing phone contacts, backups."""
