"""Your settings: a language of the console's, or the browser's; a time zone, or the console's."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from console.accounts.models import Preferences
from console.i18n.choices import time_zones


def _language_choices():
    return [("", _("As my browser asks"))] + list(settings.LANGUAGES)


def _time_zone_choices():
    default = _("The console's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", default)] + [(zone, zone) for zone in time_zones()]


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices, required=False,
                                  help_text=_("Times on every page are shown in this zone."))

    class Meta:
        model = Preferences
        fields = ["language", "time_zone"]
