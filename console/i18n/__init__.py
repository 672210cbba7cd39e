"""The console's languages and time zones: a person's choice, the switcher, the formats."""
