"""Who may do what on which connection: grants, and the one check every page, job and share goes through."""
