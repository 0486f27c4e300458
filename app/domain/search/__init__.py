"""One search over what the public site shows: areas, actions, measures, surveys, consultations,
events and published responses, in the reader's language where a translation exists, and the
staff inbox's text search. Imports `engagement` and everything below it, and the models."""

from . import indexing  # noqa: E402,F401  (the session hooks that keep the index in step)
