from django.urls import path

from kithkin.web.capture import addressbooks, calendars, mail, views

app_name = "capture"
urlpatterns = [
    path("", views.connections, name="connections"),
    # Each kind's own pages follow: mail (mail.py), calendars (calendars.py), address books
    # (addressbooks.py).
    path("mail/add/", mail.add, name="mail_add"),
    path("mail/<id:pk>/sync/", mail.sync, name="mail_sync"),
    path("mail/<id:pk>/remove/", mail.remove, name="mail_remove"),
    path("mail/suggestions/accept/", mail.accept, name="mail_accept"),
    path("mail/suggestions/dismiss/", mail.dismiss, name="mail_dismiss"),
    path("calendars/add/", calendars.calendar_add, name="calendar_add"),
    path("calendars/add-caldav/", calendars.caldav_add, name="caldav_add"),
    path("calendars/<id:pk>/sync/", calendars.calendar_sync, name="calendar_sync"),
    path("calendars/<id:pk>/remove/", calendars.calendar_remove, name="calendar_remove"),
    path("addressbooks/add/", addressbooks.addressbook_add, name="addressbook_add"),
    path("addressbooks/<id:pk>/preview/", addressbooks.addressbook_preview, name="addressbook_preview"),
    path("addressbooks/<id:pk>/import/", addressbooks.addressbook_import, name="addressbook_import"),
    path("addressbooks/<id:pk>/sync/", addressbooks.addressbook_sync, name="addressbook_sync"),
    path("addressbooks/<id:pk>/remove/", addressbooks.addressbook_remove, name="addressbook_remove"),
]
