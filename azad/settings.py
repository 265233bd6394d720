"""Azad settings: one module, driven by the environment.

Every setting that differs between a laptop, CI and production is read from an
environment variable here; docs/operations.md lists them. Defaults are safe for
development only where they cannot leak anything (SQLite in ./var, DEBUG off
unless asked for).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AZAD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no switch from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Mode -------------------------------------------------------------------
# AZAD_ENV is "development", "test" or "production". Production refuses to start
# without real secrets and turns on every transport protection.
AZAD_ENV = os.environ.get("AZAD_ENV", "development")
PRODUCTION = AZAD_ENV == "production"
DEBUG = env_bool("AZAD_DEBUG", default=False) and not PRODUCTION

SECRET_KEY = os.environ.get("AZAD_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("AZAD_SECRET_KEY must be set in production.")
    SECRET_KEY = "development-only-not-secret-" + "x" * 40

ALLOWED_HOSTS = env_list("AZAD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("AZAD_CSRF_TRUSTED_ORIGINS")

# --- Applications -------------------------------------------------------------
# Import direction runs one way: core <- audit <- accounts <- domain apps <- api/demo.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "azad.core",
    "azad.audit",
    "azad.accounts",
    "azad.persons",
    "azad.cases",
    "azad.screening",
    "azad.hotline",
    "azad.publication",
    "azad.statistics",
    "azad.reports",
    "azad.api",
    "azad.maintenance",
    "azad.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, so the account's language preference can apply.
    "azad.core.middleware.LanguageMiddleware",
    "azad.accounts.middleware.SessionLimitsMiddleware",
    "azad.accounts.middleware.SecondFactorRequiredMiddleware",
    "azad.audit.middleware.DeniedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "azad.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "azad.urls"
WSGI_APPLICATION = "azad.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "azad" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "azad.core.context_processors.navigation",
            ],
        },
    },
]

# The case list's indexes carry extra columns on PostgreSQL (INCLUDE); SQLite indexes the keys
# only, which is what it did before, so its warning says nothing to act on.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# <select> without a template per option (the list pages' filter bars have hundreds).
FORM_RENDERER = "azad.core.rendering.FormRenderer"

# --- Database ------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://...); without it Azad runs on an
# embedded SQLite file tuned for concurrent writers: WAL journal, IMMEDIATE
# transactions and a busy timeout, so writers queue instead of failing.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs more than it saves on the short queries of lists and
        # visibility checks (measured in bench/results/load-2026-11-22.md: 481 ms vs 201 ms).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("AZAD_SQLITE_PATH", str(VAR_DIR / "azad.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": os.environ.get("AZAD_SQLITE_TEST_PATH") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One-time codes must not be replayable across workers, so the cache that
# allauth uses to remember spent codes is shared: the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "azad_cache",
    }
}

# --- Authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "azad.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "azad.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_ADAPTER = "azad.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Azad"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# Roles whose members must hold a passkey (WebAuthn) besides their password.
AZAD_PASSKEY_REQUIRED_ROLES = env_list("AZAD_PASSKEY_REQUIRED_ROLES", "system_admin,national_coordinator")

# django-axes: lock an account on one address after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AZAD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The lockout page for people, a JSON 429 for the API.
AXES_LOCKOUT_CALLABLE = "azad.accounts.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AZAD_PROXY_COUNT", "0")) or None
AXES_VERBOSE = False

# Sessions: an idle timeout (the cookie age, refreshed on every request) and an
# absolute one (checked by SessionLimitsMiddleware against the login time).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("AZAD_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AZAD_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("AZAD_SESSION_ABSOLUTE_SECONDS", str(10 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Keys for our own cryptography ---------------------------------------------
# Never SECRET_KEY. Either AZAD_KEY_FILE (JSON, see docs/operations.md) or the
# three variables below. In development a key file is created in ./var.
AZAD_KEY_FILE = os.environ.get("AZAD_KEY_FILE", "" if PRODUCTION else str(VAR_DIR / "keys.json"))

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "az"
LANGUAGES = [
    ("az", _("Azerbaijani")),
    ("en", _("English")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Baku"
LANGUAGE_COOKIE_NAME = "azad_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Upload limits -------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Security headers --------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("AZAD_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# API tokens expire after this many days (they are issued again with a second factor).
AZAD_API_TOKEN_DAYS = int(os.environ.get("AZAD_API_TOKEN_DAYS", "30"))

# Statistics shown to people without case access hide counts below this (CTDC uses 11).
AZAD_SUPPRESSION_THRESHOLD = int(os.environ.get("AZAD_SUPPRESSION_THRESHOLD", "11"))

# Publication: the k of the public k-anonymous dataset (CTDC: 11), the share of rows that may be
# suppressed before quasi-identifiers are generalised further, and how long an approved
# case-level export may be downloaded.
AZAD_PUBLICATION_K = int(os.environ.get("AZAD_PUBLICATION_K", "11"))
AZAD_PUBLICATION_MAX_SUPPRESSION = float(os.environ.get("AZAD_PUBLICATION_MAX_SUPPRESSION", "0.1"))
AZAD_EXPORT_VALID_HOURS = int(os.environ.get("AZAD_EXPORT_VALID_HOURS", "72"))

# --- API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "azad.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "azad.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "azad.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Azad API",
    "DESCRIPTION": "The REST API of Azad, the counter-trafficking information system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema and its UI are for signed-in people and systems with a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice sets that share a field name across apps get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "ContactChannelEnum": "azad.cases.choices.ContactChannel",
        "NotificationChannelEnum": "azad.cases.choices.NotificationChannel",
        "ReferralPurposeEnum": "azad.cases.choices.ReferralPurpose",
        "ConsentPurposeEnum": "azad.cases.choices.ConsentPurpose",
        "ReferralStatusEnum": "azad.cases.choices.ReferralStatus",
        "ConsentStatusEnum": "azad.cases.choices.ConsentStatus",
        "StageEnum": "azad.cases.choices.Stage",
        "ScreeningStatusEnum": "azad.screening.choices.Status",
        "ScreeningOutcomeEnum": "azad.screening.choices.Outcome",
        "SuspectedExploitationEnum": "azad.screening.choices.Exploitation",
        "CaseEventKindEnum": "azad.cases.choices.EventKind",
        "PaymentKindEnum": "azad.cases.choices.PaymentKind",
        "ArticleKindEnum": "azad.hotline.choices.ArticleKind",
        "ServiceOutcomeEnum": "azad.cases.choices.ServiceOutcome",
        "ReturnStatusEnum": "azad.cases.choices.ReturnStatus",
        "RiskLevelEnum": "azad.cases.choices.RiskLevel",
        "RoleEnum": "azad.core.permissions.Role",
        "ExportRequestStatusEnum": "azad.publication.choices.RequestStatus",
        "ReportRunStatusEnum": "azad.reports.choices.RunStatus",
        "ReportStepEnum": "azad.reports.choices.Step",
    },
}

# --- Logging: never personal data; Django's request logging stays at WARNING. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"azad": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Azad ----------------------------------------------------------------------------
AZAD_COUNTRY = os.environ.get("AZAD_COUNTRY", "AZ")
# Demo data and its accounts are refused under production settings.
AZAD_DEMO_ALLOWED = not PRODUCTION
AZAD_BACKUP_DIR = Path(os.environ.get("AZAD_BACKUP_DIR", VAR_DIR / "backups"))
# Annual reports are generated in a background thread; True generates them in the request (tests).
AZAD_REPORTS_INLINE = env_bool("AZAD_REPORTS_INLINE", default=False)
# Build public datasets in the request instead of a background thread (tests).
AZAD_PUBLICATION_INLINE = env_bool("AZAD_PUBLICATION_INLINE", default=False)
