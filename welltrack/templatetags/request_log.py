"""``{% request_id %}``: the current request's id (welltrack.logs), for error pages to show.

A tag rather than a context variable: Django renders the 500 page without a request context.
"""

from django import template

from welltrack.logs import current_request_id

register = template.Library()


@register.simple_tag
def request_id() -> str:
    return current_request_id() or ""
