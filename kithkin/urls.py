from django.urls import include, path

urlpatterns = [
    path("", include("kithkin.followups.urls")),
    path("people/", include("kithkin.people.urls")),
    path("touches/", include("kithkin.interactions.urls")),
    path("accounts/", include("kithkin.accounts.urls")),
    path("imports/", include("kithkin.imports.urls")),
    path("", include("kithkin.exports.urls")),
]
