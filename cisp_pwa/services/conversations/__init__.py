"""Conversations between a trainee and her coaches: written and voice messages."""
