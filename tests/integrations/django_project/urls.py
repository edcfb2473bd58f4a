from __future__ import annotations

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home),
    path("users/", views.users),
    path("api/me/", views.me),
    path("auth/", include("workos_authkit.integrations.django")),
]
