"""Job pages: a job's page and its actions (job.py); the Jobs panel and the /jobs/ list (lists.py)."""
