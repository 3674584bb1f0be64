"""Search across the account's people and what was said (models/search.py)."""
