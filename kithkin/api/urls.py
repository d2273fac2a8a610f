"""The API's URLs: /api/v1/ (the OpenAPI document at /api/v1/openapi.json, its page at /api/v1/docs)."""

from django.urls import path

from kithkin.api.main import api

urlpatterns = [path("api/v1/", api.urls)]
