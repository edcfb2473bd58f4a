from __future__ import annotations

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home),
    path("account/", views.account),
    path("admin-only/", views.admin_only),
    path("auth/", include("workos_authkit.integrations.django")),  # login/ callback/ logout/
]
