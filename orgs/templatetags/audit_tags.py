from django import template

from orgs.describe import describe

register = template.Library()


@register.simple_tag
def audit_sentence(entry, user_names):
    name = user_names.get(entry.user_id, "Someone") if user_names else "Someone"
    if entry.user_id == "system":
        name = "WellTrack"
    return describe(entry, name)
