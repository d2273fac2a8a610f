from django.urls import path

from kithkin.web.capture import calendars, views

app_name = "capture"
urlpatterns = [
    path("", views.connections, name="connections"),
    # Each kind's own pages follow: mail (mail.py), calendars (calendars.py), address books
    # (addressbooks.py).
    path("calendars/add/", calendars.calendar_add, name="calendar_add"),
    path("calendars/add-caldav/", calendars.caldav_add, name="caldav_add"),
    path("calendars/<id:pk>/sync/", calendars.calendar_sync, name="calendar_sync"),
    path("calendars/<id:pk>/remove/", calendars.calendar_remove, name="calendar_remove"),
]
