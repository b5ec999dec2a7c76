from django import template

from wells.times import local

register = template.Library()


@register.filter
def in_zone(value, zone_name):
    """An ISO string or datetime shown in the given zone (a well's)."""
    return local(value, zone_name or "UTC")


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, TypeError):
        return None


@register.filter
def humanize_enum(value):
    return str(value or "").replace("_", " ").capitalize()


@register.filter
def make_list_of_statuses(value):
    return str(value).split()
