"""The web face's pages, each domain's under its own prefix and namespace."""

from django.urls import include, path

urlpatterns = [
    path("", include("kithkin.web.followups.urls")),
    path("people/", include("kithkin.web.people.urls")),
    path("touches/", include("kithkin.web.interactions.urls")),
    path("accounts/", include("kithkin.web.accounts.urls")),
    path("imports/", include("kithkin.web.imports.urls")),
    path("connections/", include("kithkin.web.capture.urls")),
    path("ledger/", include("kithkin.web.exchanges.urls")),
    path("introductions/", include("kithkin.web.introductions.urls")),
    path("events/", include("kithkin.web.events.urls")),
    path("goals/", include("kithkin.web.goals.urls")),
    path("drafts/", include("kithkin.web.drafts.urls")),
    path("rekindle/", include("kithkin.web.network.urls")),
    path("ask/", include("kithkin.web.finder.urls")),
    path("", include("kithkin.web.ties.urls")),
    path("insights/", include("kithkin.web.insights.urls")),
    path("graph/", include("kithkin.web.network.graph_urls")),
    path("", include("kithkin.web.exports.urls")),
]
