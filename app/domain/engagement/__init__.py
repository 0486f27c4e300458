"""Engagement beyond surveys: consultations (stages, proposals, comments and their moderation,
"What we heard"), co-production events and registrations, the translations editor, and what is
open now. Imports `surveys` and everything below it, and the models."""
