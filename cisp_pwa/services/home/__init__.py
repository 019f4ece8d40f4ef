"""What gathers several domains for one screen: each role's home (dashboards) and the drafts a
phone made offline, delivered to the messages and self-assessments. No domain imports it."""
