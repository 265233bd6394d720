"""OpenAPI extensions: describe Azad's token authentication in the schema."""

from drf_spectacular.authentication import TokenScheme


class AzadTokenScheme(TokenScheme):  # type: ignore[no-untyped-call]
    """``Authorization: Token <key>`` with Azad's hashed, expiring tokens."""

    target_class = "azad.api.authentication.TokenAuthentication"
    name = "tokenAuth"
