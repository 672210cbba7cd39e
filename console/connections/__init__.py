"""Connections (admins): list, create and edit with a Test, health, default, enable, delete, bucket CORS."""
