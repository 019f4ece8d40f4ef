"""CISP Parcours: the trainee's pathway, goals, self-assessment and messages."""
