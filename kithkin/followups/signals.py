from django.dispatch import Signal

# Sent inside the transaction after a follow-up is marked done or skipped by the user:
# owner=, follow_up=, now=. Higher apps listen (a birthday done schedules next year's).
follow_up_closed = Signal()
