"""Print a one-time sign-in link for a superuser: the way in when single sign-on is down (README)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from console import audit
from console.accounts import break_glass


class Command(BaseCommand):
    help = "Print a one-time sign-in link for a superuser (works once, for BREAK_GLASS_MINUTES)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--create", action="store_true", help="make this superuser (no password) if missing")
        parser.add_argument("--base-url", default="", help="the console's address, e.g. https://console.example.com")

    def handle(self, username, create=False, base_url="", **options):
        user = User.objects.filter(username=username).first()
        if user is None and create:
            user = User.objects.create_superuser(username, email="", password=None)
        if user is None:
            raise CommandError(_("There is no user %(name)r (add --create to make a superuser of that name).") % {
                "name": username})
        if not (user.is_superuser and user.is_active):
            raise CommandError(_("%(name)r is not an active superuser; break-glass links are only for those.") % {
                "name": username})
        audit.record(None, "auth.break_glass_issued", target=username, actor_name="manage.py break_glass",
                     minutes=settings.BREAK_GLASS_MINUTES)
        self.stdout.write(f"{base_url.rstrip('/')}{break_glass.link_path(user)}")
        self.stderr.write(_("It works once, for %(minutes)s minutes. Treat it like a password.") % {
            "minutes": settings.BREAK_GLASS_MINUTES})
        self.stderr.write(_("A browser's history keeps an opened link, code included, until the code is used: to "
                            "leave no trace, open the address before '#' and paste the part after it into the page."))
