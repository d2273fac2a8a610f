from django.urls import include, path

urlpatterns = [
    path("", include("kithkin.followups.urls")),
    path("people/", include("kithkin.people.urls")),
    path("touches/", include("kithkin.interactions.urls")),
    path("accounts/", include("kithkin.accounts.urls")),
    path("imports/", include("kithkin.imports.urls")),
    path("ledger/", include("kithkin.exchanges.urls")),
    path("introductions/", include("kithkin.introductions.urls")),
    path("events/", include("kithkin.events.urls")),
    path("goals/", include("kithkin.goals.urls")),
    path("", include("kithkin.exports.urls")),
]
