"""Accounts: signing in and out, set-up, settings, sessions and devices, password reset, deleting the account."""
