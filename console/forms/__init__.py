"""Forms for the admin console, one module per area."""
