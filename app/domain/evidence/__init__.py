"""The board's evidence: who has been heard against who should be (reach and its baselines) and
the assurance board's report for a period, published frozen. Imports `search`, `engagement` and
everything below it, and the models."""
