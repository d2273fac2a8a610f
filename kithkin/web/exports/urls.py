from django.urls import path

from kithkin.web.exports import views

# Mounted at the root: the pages live under exports/, the feed at feed/ (a short URL to paste).
app_name = "exports"
urlpatterns = [
    path("exports/", views.export_page, name="list"),
    path("exports/vcard/", views.download_vcard, name="vcard"),
    path("exports/csv/", views.download_csv, name="csv"),
    path("exports/json/", views.download_json, name="json"),
    path("exports/backup/", views.download_backup, name="backup"),
    path("exports/calendar/new/", views.feed_make, name="feed_make"),
    path("exports/calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
