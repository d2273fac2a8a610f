"""Kithkin's settings: one file, every value from the environment.

Data lives in ``KITHKIN_DATA_DIR`` or the platform's user data directory. The SQLite
database and the generated secret key are kept there; ``DATABASE_URL`` selects another
database (PostgreSQL for a multi-user server).
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kithkin.lib.data_dir import chosen_data_dir
from kithkin.lib.private_files import private_dir

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: expected a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}: expected {minimum} or more, got {value}")
    return value


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a number of seconds, got {raw!r}") from None
    if not value > 0:
        raise ImproperlyConfigured(f"{name}: expected more than 0, got {raw}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """The data directory, made if missing and readable by its owner alone (0700), whatever the umask."""
    return private_dir(chosen_data_dir())


def load_or_create_secret_key(directory: Path) -> str:
    """Read the secret key kept in the data directory, creating it (mode 0600) on first run."""
    path = directory / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its key
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


DATA_DIR = data_dir()
SECRET_KEY = env_str("KITHKIN_SECRET_KEY") or load_or_create_secret_key(DATA_DIR)
DEBUG = env_bool("KITHKIN_DEBUG", False)
ALLOWED_HOSTS = env_list("KITHKIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KITHKIN_CSRF_TRUSTED_ORIGINS", [])
# Serving behind TLS (README, "Serving beyond localhost"). KITHKIN_HTTPS=1: secure cookies, a
# redirect from http, and HSTS; KITHKIN_TRUSTED_PROXY=1: the reverse proxy in front terminates TLS
# and says so in X-Forwarded-Proto, and X-Forwarded-For names the client (for sign-in limits).
HTTPS = env_bool("KITHKIN_HTTPS", False)
TRUSTED_PROXY = env_bool("KITHKIN_TRUSTED_PROXY", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_htmx",
    "template_partials",
    "kithkin.core",
    "kithkin.accounts",
    "kithkin.people",
    "kithkin.interactions",
    "kithkin.followups",
    "kithkin.events",
    "kithkin.exchanges",
    "kithkin.introductions",
    "kithkin.goals",
    "kithkin.imports",
    "kithkin.exports",
    "kithkin.network",
    "kithkin.finder",
    "kithkin.digest",
    "kithkin.capture",
    "kithkin.web",
]

# django-ninja's own copy of Swagger UI, for the API's docs page (kithkin.api.docs): its template
# and static files, served from the package like Kithkin's, so the page works offline with no CDN.
# Found without importing django-ninja (as listing it in INSTALLED_APPS would): a command that
# never answers HTTP does not pay for loading it and pydantic (about 90 ms of every start).
NINJA_DIR = Path(importlib.util.find_spec("ninja").origin or "").parent  # type: ignore[union-attr]

MIDDLEWARE = [
    "kithkin.web.middleware.RequestSizeMiddleware",
    "kithkin.web.middleware.ServerTimingMiddleware",
    "kithkin.web.middleware.DatabaseBusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kithkin.web.middleware.OwnerScopeMiddleware",
    "kithkin.web.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kithkin.web.middleware.UserTimezoneMiddleware",
    # Last: it turns a sign-in refused for too many failures into the "locked for now" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kithkin.urls"
WSGI_APPLICATION = "kithkin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kithkin.web.context_processors.appearance",
            ],
        },
    }
]

# Every form renders its fields through kithkin/field.html (labels, help, errors tied to inputs).
FORM_RENDERER = "kithkin.web.forms.FormRenderer"

SQLITE_PATH = DATA_DIR / "kithkin.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
# How long a write waits for another writer's lock before it gives up: the web then answers 503
# with Retry-After, the CLI says so in one line. Imports hold the lock well under a second at a
# time, so a wait this long means something else is wrong.
DB_BUSY_TIMEOUT = env_float("KITHKIN_DB_BUSY_TIMEOUT", 20)
# What a 503 for a busy database tells the browser, in seconds.
BUSY_RETRY_AFTER = 5
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same bound on PostgreSQL, which otherwise waits for a lock for ever.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", f"-c lock_timeout={int(DB_BUSY_TIMEOUT * 1000)}"
        )
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, plus PRAGMA optimize on close (see kithkin/core/sqlite).
            "ENGINE": "kithkin.core.sqlite",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets the web server read while the CLI writes; IMMEDIATE transactions
                # and a busy timeout make concurrent writers wait instead of failing. Temporary
                # storage in memory: each statement of a transaction that writes more than one
                # row (a multi-row INSERT, a row with triggers: the search index's) keeps the
                # pages it changes in a statement journal, which in a file wrote 2 GB to disk
                # for an import of 30,000 people.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": DB_BUSY_TIMEOUT,
            },
        }
    }
if DATABASES["default"]["ENGINE"] in {"django.db.backends.sqlite3", "kithkin.core.sqlite"}:
    DATABASES["default"].setdefault("TEST", {"NAME": ":memory:"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks a password sign-in before Django's backend hashes anything: after
# LOGIN_FAILURE_LIMIT failures for one account, or from one address, sign-in is refused for
# LOGIN_LOCKOUT_MINUTES, counted again from each attempt made meanwhile. The one-time link
# (`kithkin link`) still signs in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("KITHKIN_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("KITHKIN_LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one counts on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kithkin.web.accounts.views.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept (until their lockout is over), not every sign-in
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
if TRUSTED_PROXY:
    # The proxy appends the address it saw to X-Forwarded-For: the right-most one is the client.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "followups:today"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# Only needed for `collectstatic` behind another web server.
STATIC_ROOT = env_str("KITHKIN_STATIC_ROOT") or None
# Serve app static files straight from the package: a local install needs no collectstatic.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [NINJA_DIR / "static"]
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Serving behind TLS: see HTTPS and TRUSTED_PROXY above.
SESSION_COOKIE_SECURE = env_bool("KITHKIN_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("KITHKIN_HSTS_SECONDS", 31536000, minimum=0) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KITHKIN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KITHKIN_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY else None

# Only Kithkin's own files run or style a page: no inline script, no inline style, no eval (htmx
# runs with allowEval off, see base.html), nothing from another site. The stylesheet draws the
# select box's arrow with gradients, and icons are inline SVG (no data: URLs needed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Nothing in Kithkin uses these; a page cannot ask for them either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# How long the one-time login link printed by `kithkin serve` stays valid.
LOGIN_LINK_MINUTES = env_int("KITHKIN_LOGIN_LINK_MINUTES", 30)
# How long an invitation link (`kithkin user add`, the Team page) stays valid: the person invited
# may open their mail days later.
INVITE_DAYS = env_int("KITHKIN_INVITE_DAYS", 7)
# How often `kithkin serve` and `kithkin worker` sync each connected mailbox, calendar and address
# book (kithkin.capture.schedule), in minutes.
SYNC_MINUTES = env_int("KITHKIN_SYNC_MINUTES", 30)
# KITHKIN_OPEN_SIGNUP=1: anyone who reaches the server may make an account on the sign-up page.
# Off, accounts are made by an admin (`kithkin user add`, the Team page) and the page is a 404.
OPEN_SIGNUP = env_bool("KITHKIN_OPEN_SIGNUP", False)

# The account the CLI acts for (a server's CLI can act for any of its users).
LOCAL_OWNER_USERNAME = env_str("KITHKIN_USER") or "owner"
# Where `kithkin serve` is reached, for the links the CLI prints (`kithkin link`, `kithkin feed-url`).
SERVER_HOST = env_str("KITHKIN_HOST", "127.0.0.1")
SERVER_PORT = env_str("KITHKIN_PORT", "8000")
# Set by hand, they win; otherwise `kithkin link` reads where the running `kithkin serve` listens.
SERVER_ADDRESS_SET = bool(env_str("KITHKIN_HOST") or env_str("KITHKIN_PORT"))
BASE_URL = env_str("KITHKIN_BASE_URL", f"http://{SERVER_HOST}:{SERVER_PORT}").rstrip("/")
# Set, the links the CLI prints for someone else (`kithkin user add`, `kithkin link --user`) name
# the server by it, as the mail it sends does: they are opened on other machines.
BASE_URL_SET = bool(env_str("KITHKIN_BASE_URL"))

# The largest file the web app takes for an import. A value that is not a number keeps the
# default rather than stopping the server.
DEFAULT_MAX_UPLOAD_MB = 20
try:
    MAX_UPLOAD_MB = max(1, int(env_str("KITHKIN_MAX_UPLOAD_MB", str(DEFAULT_MAX_UPLOAD_MB))))
except ValueError:
    MAX_UPLOAD_MB = DEFAULT_MAX_UPLOAD_MB

# A CSV export puts a quote before a value a spreadsheet would run as a formula (= + - @ ...);
# off, values are written as they are (for a program that would keep the quote).
CSV_FORMULA_GUARD = env_bool("KITHKIN_CSV_FORMULA_GUARD", True)
# The largest request body the server reads: an upload of the largest file with room for the rest
# of its form. A longer Content-Length is refused (413) before any of the body is read.
MAX_REQUEST_BYTES = (MAX_UPLOAD_MB + 1) * 1024 * 1024
# Uploads neither imported nor cancelled within this many hours are removed.
UPLOAD_TTL_HOURS = env_int("KITHKIN_UPLOAD_TTL_HOURS", 24)

# Django's cache: files in the data directory, shared by the server's threads and the CLI (whose
# changes must reach the server's cached calendar feed).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(private_dir(DATA_DIR / "cache")),
    }
}

# The calendar feed holds the overdue follow-ups and those due within this many days; it is built
# once per change of what it shows (and at most this many seconds old).
FEED_HORIZON_DAYS = env_int("KITHKIN_FEED_HORIZON_DAYS", 90)
FEED_CACHE_SECONDS = 6 * 3600

# The HTTP API: at most this many requests per token ("N/s", "N/min", "N/hour" or "N/day"); over
# it, 429 with Retry-After.
API_RATE = env_str("KITHKIN_API_RATE") or "600/min"
if not re.fullmatch(r"[0-9]+/[0-9]*(s|sec|m|min|h|hour|d|day)", API_RATE):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"KITHKIN_API_RATE={API_RATE!r} does not read; write e.g. 600/min or 20/s")

# Mail (the daily digest, invitations, password resets): EMAIL_URL names the SMTP server, e.g.
# smtp://user:password@mail.example.com:587/?tls=True (STARTTLS), or smtps://...:465 for SMTP
# over TLS; KITHKIN_FROM_EMAIL is who the messages come from. Without EMAIL_URL nothing is sent:
# the commands that would send say so, and print what they would have sent.
EMAIL_URL = env_str("EMAIL_URL")
EMAIL_CONFIGURED = bool(EMAIL_URL)


def email_settings(url: str) -> dict[str, object]:
    """Django's EMAIL_* settings from an EMAIL_URL (dj-email-url). ``smtps://`` is SMTP over TLS
    (port 465 unless given), as the scheme says: dj-email-url reads it as STARTTLS, its old name
    for ``submission://``, which an implicit-TLS server never answers. An explicit ``?tls=True``
    or ``?ssl=True`` is kept as written."""
    import warnings
    from urllib.parse import parse_qs, urlsplit

    import dj_email_url

    scheme, _, rest = url.partition("://")
    implicit_tls = scheme.lower() == "smtps"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its warning that the smtps scheme will go
            found: dict[str, object] = dj_email_url.parse(("smtp://" + rest) if implicit_tls else url)
            split = urlsplit(url)
            port = split.port
    except Exception as exc:  # a scheme or port it cannot read
        raise ImproperlyConfigured(f"EMAIL_URL does not read as an SMTP address: {exc}") from None
    if "EMAIL_BACKEND" not in found:
        raise ImproperlyConfigured(
            f"EMAIL_URL does not read as an SMTP address: use smtp:// or smtps://, not {scheme}://"
        )
    if implicit_tls and not {"tls", "ssl"} & set(parse_qs(split.query)):
        found.update(EMAIL_USE_SSL=True, EMAIL_USE_TLS=False, EMAIL_PORT=port or 465)
    return found


if EMAIL_CONFIGURED:
    globals().update(email_settings(EMAIL_URL))
    EMAIL_TIMEOUT = env_int("KITHKIN_EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("KITHKIN_FROM_EMAIL") or "Kithkin <kithkin@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The paths of calendar feeds and login links are their secrets: logged redacted.
    "filters": {"redact_secrets": {"()": "kithkin.web.logs.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("KITHKIN_LOG_LEVEL", "WARNING")},
}

# Meaning-based matching for `ask`, where `pip install 'kithkin[semantic]'` put its model:
# "auto" uses it when it is installed, "off" never does (docs/ask.md).
SEMANTIC = env_str("KITHKIN_SEMANTIC") or "auto"
