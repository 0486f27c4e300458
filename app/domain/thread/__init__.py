"""The golden thread: every input is a contribution (from "Tell us", a survey, a comment, an event
note or paper); coordinators code them in the inbox; officers answer them in "You said, we did",
approved by a second person; anyone can track a reference and see the loop metrics and open data.
Imports `people`, `mail`, `shared` and the models."""
