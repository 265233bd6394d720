"""``{% clock_badge clock %}``: a legal clock's badge (:func:`azad.cases.badges.clock_badge`)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from azad.cases.badges import clock_badge as _clock_badge
from azad.cases.clocks import Clock

register = template.Library()


@register.simple_tag
def clock_badge(clock: Clock | None) -> SafeString | str:
    return _clock_badge(clock) if clock else ""
