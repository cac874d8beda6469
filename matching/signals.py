"""Events other apps react to. matching never imports messaging: messaging connects here.

Both are sent inside the transaction that changes the match, so a receiver's writes commit or
roll back with it. Arguments: `match` (a Match).
"""

from django.dispatch import Signal

match_activated = Signal()
match_closed = Signal()
# A group's members change (matching.groups): `match`, and `user_id` and `role` of who joined or left.
member_joined = Signal()
member_left = Signal()
