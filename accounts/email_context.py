"""JSON for e-mail contexts that keeps dates and times as dates and times.

Outbox rows store their template context as JSON. E-mails show times in the recipient's zone,
so a datetime must come back as a datetime, not as a string the template cannot convert. For the same
reason a lazily translated string is refused: Django's encoder would freeze it in the language of whoever
queued the e-mail, and the e-mail is written at delivery in its recipient's language. Pass the English text
(gettext_noop) and translate it in the template.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise

_DATETIME = "__datetime__"
_DATE = "__date__"


class EmailContextEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return {_DATETIME: o.isoformat()}
        if isinstance(o, datetime.date):
            return {_DATE: o.isoformat()}
        if isinstance(o, Promise):
            raise TypeError(f"{str(o)[:60]!r} is translated lazily: an e-mail's context keeps the untranslated text")
        return super().default(o)


def _revive(obj: dict):
    if len(obj) == 1:
        if _DATETIME in obj:
            return parse_datetime(obj[_DATETIME])
        if _DATE in obj:
            return parse_date(obj[_DATE])
    return obj


class EmailContextDecoder(json.JSONDecoder):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("object_hook", _revive)
        super().__init__(*args, **kwargs)
