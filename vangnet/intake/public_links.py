from django.utils.translation import gettext_lazy as _

from vangnet.public.views import Choice

CHOICES = [
    Choice(
        "intake:start",
        _("I am worried or want advice"),
        _("Ask a professional what you can do. You may stay anonymous."),
        query="kind=advice",
    ),
    Choice(
        "intake:start",
        _("I want to report something"),
        _("Tell us what is happening, so that someone takes action."),
        query="kind=report",
    ),
]
