"""The icon tag the design system's components draw with."""

from kithkin.followups.models import FollowUp
from kithkin.interactions.models import Touch
from kithkin.web.templatetags.kithkin import FOLLOW_UP_ICONS, ICONS, TOUCH_ICONS, follow_up_icon, icon


def test_an_icon_is_lucides_paths_inline_hidden_from_screen_readers_unless_named():
    drawn = icon("coffee")
    assert drawn.startswith('<svg class="icon icon-coffee" viewBox="0 0 24 24"') and 'aria-hidden="true"' in drawn
    assert "<path" in drawn and "@license" not in drawn
    named = icon("coffee", label="Coffee")
    assert 'role="img" aria-label="Coffee"' in named and "aria-hidden" not in named


def test_every_kind_of_touch_and_follow_up_has_a_vendored_icon():
    assert set(TOUCH_ICONS) == set(Touch.Kind.values)
    assert set(FOLLOW_UP_ICONS) == set(FollowUp.Kind.values)
    for name in {*TOUCH_ICONS.values(), *FOLLOW_UP_ICONS.values()}:
        assert (ICONS / f"{name}.svg").is_file(), name
    assert "icon-message-square-heart" in follow_up_icon("thank_you")
