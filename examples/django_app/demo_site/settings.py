"""Settings of the Django example: no database, AuthKit configured from WORKOS_* variables."""

from __future__ import annotations

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-example-only")
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "demo_site.urls"
INSTALLED_APPS: list[str] = []
DATABASES: dict[str, object] = {}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "workos_authkit.integrations.django.AuthKitMiddleware",
]
USE_TZ = True
# AuthKit reads WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI (…/auth/callback/) and
# WORKOS_COOKIE_PASSWORD from here or, as in this example, from the environment.
