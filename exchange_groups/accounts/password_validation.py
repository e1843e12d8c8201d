"""Django's password validators with help texts in the formal address the platform uses.

Django's own Polish catalogue addresses the person informally ("Twoje hasło"); the rules are unchanged.
"""

from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_help_text(self):
        return _("The password must not be too similar to your name or e-mail address.")


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_help_text(self):
        return ngettext(
            "The password must contain at least %(min_length)d character.",
            "The password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_help_text(self):
        return _("The password must not be a commonly used password.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_help_text(self):
        return _("The password must not consist of digits only.")
