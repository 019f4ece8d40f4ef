"""The domain: rules and access checks. Never imports reflex; every call takes the acting user."""
