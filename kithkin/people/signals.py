from django.dispatch import Signal

# Sent inside the transaction after a person is added or edited: owner=, person=, created=.
person_changed = Signal()
