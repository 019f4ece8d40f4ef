"""The machinery every domain stands on: units of work, events and their bus, the audit trail,
limits, push delivery and its keys, imported files, recordings' length. It knows no domain
rule and imports no domain folder (the import contracts in pyproject.toml say so)."""
