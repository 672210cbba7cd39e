"""The admin pages: edition, s3.yaml import/export, service tokens, the audit log.

Not named `admin`: that is django.contrib.admin's label (the Django admin lives at /django-admin/).
"""
