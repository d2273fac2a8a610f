from django.urls import include, path

urlpatterns = [
    path("", include("kithkin.followups.urls")),
    path("people/", include("kithkin.people.urls")),
    path("touches/", include("kithkin.interactions.urls")),
    path("accounts/", include("kithkin.accounts.urls")),
]
