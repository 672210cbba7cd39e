"""Account views: auth (sign-in helpers, lockout) and users."""
