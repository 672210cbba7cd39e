"""Share views: manage (the signed-in side: list, create, revoke) and public (what a link's visitor sees)."""
