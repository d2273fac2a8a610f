"""The URL root: it mounts the faces that answer over HTTP."""

from django.urls import include, path

urlpatterns = [
    path("", include("kithkin.web.urls")),
]
