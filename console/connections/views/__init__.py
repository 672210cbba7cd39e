"""Connection views: edit (list, create, edit), actions (health, default, enabled, delete), cors."""
