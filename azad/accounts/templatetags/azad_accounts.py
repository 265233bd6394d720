"""Template tags for the sign-in pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def json_data(context: dict[str, Any], value: Any, element_id: str) -> SafeString:
    """Like the ``json_script`` filter, with the page's CSP nonce on the ``<script>`` tag."""
    rendered = json_script(value, element_id)
    nonce = context.get("csp_nonce", "")
    prefix = "<script "
    if not nonce or not rendered.startswith(prefix):
        return rendered
    return format_html('<script nonce="{}" ', nonce) + SafeString(rendered[len(prefix) :])
