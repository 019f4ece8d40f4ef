"""Credentials: the skills passport (screen and PDF) and the Open Badges an employer checks,
with each centre's signing keys."""
