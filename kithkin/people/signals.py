from django.dispatch import Signal

# Sent inside the transaction after a person is added or edited: owner=, person=, created=.
person_changed = Signal()

# Sent inside the transaction after many people are changed at once (a bulk edit), or added at
# once (an import): owner=, person_ids= (a list), now=, fields= (a frozenset naming what changed:
# "circle", "closeness", "cadence", "interests", "met_on", or "created"), so receivers can skip work a
# change does not need.
people_changed = Signal()
