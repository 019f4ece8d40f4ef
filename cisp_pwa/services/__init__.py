"""The domain: rules and access checks. Never imports reflex; every call takes the acting user.

Grouped by what each part holds, lowest first (the import contracts in pyproject.toml keep it so):
- here: what every domain shares: the acting user (actor.py), the typed errors (errors.py), the
  checks of typed text (free_text.py), and above infra/ the one rule of who may see what
  (policy.py: every check, list query and event audience is derived from it);
- infra/: the machinery under every domain (units of work, events and their bus, the audit
  trail, limits, push delivery, imported files): it knows no domain rule;
- one folder per domain: people/, skills/, conversations/, follow_up/, help/, records/,
  credentials/; a domain uses another's rules by importing it, never in a circle;
- home/: what gathers several domains for one screen (each role's home, offline drafts).
"""
