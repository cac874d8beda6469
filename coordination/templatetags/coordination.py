from django import template

from matching.permissions import coordinated_programmes

register = template.Library()


@register.simple_tag
def dashboards_for(user):
    """The programmes whose engagement dashboard this person may open."""
    return coordinated_programmes(user).order_by("name") if user.is_staff else []
