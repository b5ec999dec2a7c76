"""What the accounts area announces to the apps after it (which it must not import).

``password_changed`` is sent by accounts.services once a user's new password is saved, by a
change (signed in) or a reset (emailed link), with ``user_id`` and ``actor`` (who did it, from
where). A password change is how a user takes an account back: accounts ends its own
credentials (sessions, API tokens) itself; every later app that issues a lasting credential of
the user (timeline's private .ics links) revokes it in a receiver. A receiver's failure fails
the request (no ``send_robust``): the user is told, rather than left with a link that still works.
"""

from __future__ import annotations

import django.dispatch

password_changed = django.dispatch.Signal()
