from django.urls import path

from kithkin.web.capture import addressbooks, views

app_name = "capture"
urlpatterns = [
    path("", views.connections, name="connections"),
    # Each kind's own pages follow: mail (mail.py), calendars (calendars.py), address books
    # (addressbooks.py).
    path("addressbooks/add/", addressbooks.addressbook_add, name="addressbook_add"),
    path("addressbooks/<id:pk>/preview/", addressbooks.addressbook_preview, name="addressbook_preview"),
    path("addressbooks/<id:pk>/import/", addressbooks.addressbook_import, name="addressbook_import"),
    path("addressbooks/<id:pk>/sync/", addressbooks.addressbook_sync, name="addressbook_sync"),
    path("addressbooks/<id:pk>/remove/", addressbooks.addressbook_remove, name="addressbook_remove"),
]
