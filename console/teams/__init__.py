"""Groups and grants pages: groups and their members, grants on connections, users and groups, who can do what."""
