"""Reminders: their settings, the dispatcher and the channels it sends through."""
