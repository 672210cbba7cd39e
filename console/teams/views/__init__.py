"""Views: grants (a connection's grants, change, remove), groups, people (a user's page), who (who can do what)."""
