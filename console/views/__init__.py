"""The project's own pages, outside any app: the landing page and the site icon."""
