"""Email: the outbox (written in the same transaction as the change that causes it, sent by the
worker), notifications of published responses, and subscriptions with double opt-in.
Imports `shared` and the models."""
