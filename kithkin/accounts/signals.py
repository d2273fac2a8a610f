from django.dispatch import Signal

# Sent inside the transaction after an owner's settings change: owner=, profile=.
settings_changed = Signal()
