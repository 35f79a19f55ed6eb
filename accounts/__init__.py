"""User accounts, contracting authorities and access rules."""
