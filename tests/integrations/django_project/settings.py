"""A minimal Django project for the integration tests: no database, no apps."""

from __future__ import annotations

SECRET_KEY = "django-insecure-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
ROOT_URLCONF = "tests.integrations.django_project.urls"
INSTALLED_APPS: list[str] = []
DATABASES: dict[str, object] = {}
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "workos_authkit.integrations.django.AuthKitMiddleware",
]
USE_TZ = True
WORKOS_REDIRECT_URI = "http://testserver/auth/callback/"
WORKOS_COOKIE_PASSWORD = "an-integration-cookie-password-32-chars-at-least"
WORKOS_API_KEY = "sk_test_placeholder"  # the tests give WORKOS_CLIENT bound to their fake
