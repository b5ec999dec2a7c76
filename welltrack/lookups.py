"""Reading one item by its key: ``Model.get_or_none(key)`` and ``Model.get_or_404(key)``.

A mixin of WellTrackModel, so every table has them. Reads are strongly consistent unless
the caller says otherwise; a failing DynamoDB becomes the domain errors of welltrack.errors.
"""

from __future__ import annotations

from typing import Any, Self

from welltrack.errors import NotFound, dynamo_errors


class Lookups:
    @classmethod
    def get_or_none(cls, hash_key: Any, range_key: Any = None, consistent_read: bool = True) -> Self | None:
        """The item with this key, or None when there is none."""
        with dynamo_errors():
            try:
                return cls.get(hash_key, range_key, consistent_read=consistent_read)
            except cls.DoesNotExist:
                return None

    @classmethod
    def get_or_404(
        cls, hash_key: Any, range_key: Any = None, consistent_read: bool = True, message: str | None = None
    ) -> Self:
        """The item with this key; NotFound (404) when there is none."""
        item = cls.get_or_none(hash_key, range_key, consistent_read=consistent_read)
        if item is None:
            raise NotFound(message)
        return item
