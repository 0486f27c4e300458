"""Staff and personal data: accounts and invitations, passwords, the append-only audit log, and
the retention job that deletes personal data when its time is up.
Imports `mail`, `shared` and the models."""
