"""People: sign-in and out, the lockout page, set-password links, users and their roles."""
