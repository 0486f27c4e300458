"""The improvement plan: areas of weakness and their actions, the pages that show them with their
part of the golden thread, staff editing and progress updates, and the CSV import.
Imports `thread`, `people`, `mail`, `shared` and the models."""
