"""Settings, read from the environment so that nothing needs editing to run.

MERCATO_HOME      where the SQLite database, the secret key and stored files live (./var)
DATABASE_URL      a PostgreSQL URL; unset means SQLite under MERCATO_HOME
MERCATO_SECRET_KEY  generated once and kept under MERCATO_HOME when unset
MERCATO_DEBUG     "1" for Django's debug pages
MERCATO_ALLOWED_HOSTS  comma-separated host names (default: local addresses)
MERCATO_MAX_UPLOAD_MB  the largest offer file or JSON body accepted, in MB (default 200)
MERCATO_IMPORT_BATCH_LINES  offer lines applied and committed together (default 50000)
MERCATO_IMPORT_STAGE_MB  MB of an offer file whose lines are sorted out in memory at once
                  (default 64); a larger file's, a key range at a time, kept in files
MERCATO_ORDER_ACCEPTANCE_DAYS  days a shop has to accept an order before it is refused (default 5)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
MERCATO_HOME = Path(os.environ.get("MERCATO_HOME", "var")).resolve()
MERCATO_HOME.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = MERCATO_HOME / "files"
# Larger uploads are refused with 413 before anything of them is stored.
MERCATO_MAX_UPLOAD_BYTES = int(os.environ.get("MERCATO_MAX_UPLOAD_MB", "200")) * 1024 * 1024
REFERENCE_MARKETPLACE_DIR = BASE_DIR / "reference_marketplace"
# A running import whose worker has not reported for this long is taken up by another one.
MERCATO_IMPORT_STALE_SECONDS = int(os.environ.get("MERCATO_IMPORT_STALE_SECONDS", "60"))
# Lines an import applies and commits together: each batch must take well under the above.
MERCATO_IMPORT_BATCH_LINES = int(os.environ.get("MERCATO_IMPORT_BATCH_LINES", "50000"))
# File bytes whose lines' keys an offer import sorts out in memory at once: about 40 bytes a
# line and as much an offer of the shop, so that the worker's peak stays the same whatever
# the file's size (bench/README.md).
MERCATO_IMPORT_STAGE_BYTES = int(os.environ.get("MERCATO_IMPORT_STAGE_MB", "64")) * 1024 * 1024
# The seller guide: an order is validated within 5 days at most; what is not is refused.
MERCATO_ORDER_ACCEPTANCE_DAYS = float(os.environ.get("MERCATO_ORDER_ACCEPTANCE_DAYS", "5"))


def _secret_key() -> str:
    key = os.environ.get("MERCATO_SECRET_KEY")
    if key:
        return key
    path = MERCATO_HOME / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting at once must not each write their own key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("MERCATO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get(
    "MERCATO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver"
).split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "mercato.shops",
    "mercato.catalog",
    "mercato.offers",
    "mercato.imports",
    "mercato.orders",
    "mercato.connectors",
    "mercato.api",
    "mercato.backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # French unless the user chose English (the back office's switch), whatever the browser says.
    "mercato.backoffice.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mercato.api.methods.MethodNotAllowedAsJson",
]

ROOT_URLCONF = "mercato.urls"
WSGI_APPLICATION = "mercato.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(MERCATO_HOME / "mercato.sqlite3"),
            "OPTIONS": {
                # WAL and IMMEDIATE transactions let the server and workers share the file
                # without "database is locked" on concurrent writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "backoffice" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = MERCATO_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve the console's assets straight from the installed apps: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A session ends after 2 hours without a request, and when the browser closes.
SESSION_COOKIE_AGE = 2 * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "backoffice:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MERCATO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
