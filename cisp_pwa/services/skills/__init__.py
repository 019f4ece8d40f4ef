"""Pathways and skills: the shared referentials and their editing, the trainee's
self-assessments (never overwritten), the trainers' validations."""
