"""Surveys: building them (details, sections, questions, conditions, lifecycle, duplicating),
answering them page by page, recording responses as contributions, results with suppression,
and exports. Imports `plan`, `thread`, `people`, `mail`, `shared` and the models."""
