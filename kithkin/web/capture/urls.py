from django.urls import path

from kithkin.web.capture import views

app_name = "capture"
urlpatterns = [
    path("", views.connections, name="connections"),
    # Each kind's own pages follow: mail (mail.py), calendars (calendars.py), address books
    # (addressbooks.py).
]
