"""WSGI entry point for gunicorn.

Under production settings the server refuses to start while any demo account
exists (see azad/demo/checks.py): their password and TOTP secrets are public.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "azad.settings")
application = get_wsgi_application()

if getattr(settings, "PRODUCTION", False):
    from azad.demo.checks import demo_accounts_in_production

    problems = demo_accounts_in_production()
    if problems:
        raise RuntimeError("; ".join(str(problem.msg) for problem in problems))
