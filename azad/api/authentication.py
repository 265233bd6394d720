"""Token authentication for other systems (``Authorization: Token <key>``)."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication


class TokenAuthentication(DRFTokenAuthentication):
    """DRF's token authentication; deactivated accounts are refused by DRF itself."""
