"""Select widgets that write their options in Python.

Django renders each <option> through a template of its own: a time-zone list of ~430 zones and 184
languages made the profile page ~1,500 template renders (most of its 125 ms in the test client). These
widgets write the same markup as Django's select.html (without optgroups, which our long lists do not
use) with format_html: attributes from the form and crispy-forms apply as usual.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

_SELECTED = mark_safe(" selected")  # a constant


class _PythonOptions:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        chosen = {str(v) for v in widget["value"]}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, _SELECTED if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class FastSelect(_PythonOptions, forms.Select):
    pass


class FastSelectMultiple(_PythonOptions, forms.SelectMultiple):
    pass
