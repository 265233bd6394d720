import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo tests set 14 passwords per load; a fast hasher keeps them quick (the hasher is not under test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
