"""Follow-up of a trainee: the goals built with her, her coaches' private notes."""
