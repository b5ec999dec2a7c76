from django import template

from wells.times import local

register = template.Library()


@register.filter
def in_zone(value, zone_name):
    """An ISO string or datetime as the wall-clock time of the given zone (a well's).

    Naive on purpose: Django would convert an aware datetime back to the current zone.
    """
    moment = local(value, zone_name or "UTC")
    return moment.replace(tzinfo=None) if moment else None


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
