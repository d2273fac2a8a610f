from __future__ import annotations

from django import template
from django.utils import timezone

from kithkin.core import clock
from kithkin.followups.models import FollowUp
from kithkin.followups.services import headline as sentence

register = template.Library()


@register.filter
def headline(follow_up: FollowUp) -> str:
    """What to do, worded for today: "Thank Ana for Tuesday's coffee"."""
    return sentence(follow_up, clock.now(), timezone.get_current_timezone())
