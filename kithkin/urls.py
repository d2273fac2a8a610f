"""The URL root: it mounts the faces that answer over HTTP."""

from django.urls import include, path

handler500 = "kithkin.web.errors.server_error"

urlpatterns = [
    path("", include("kithkin.api.urls")),
    path("", include("kithkin.web.urls")),
]
