from django.dispatch import Signal

# Sent inside the transaction after a touch is logged: owner=, touch=, people=, thank=, now=.
touch_logged = Signal()
