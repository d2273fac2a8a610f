from django.urls import path

from kithkin.web.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<id:pk>/", views.event_detail, name="detail"),
    path("<id:pk>/edit/", views.event_edit, name="edit"),
    path("<id:pk>/delete/", views.event_delete, name="delete"),
    path("<id:pk>/met/", views.event_met, name="met"),
    path("<id:pk>/verdict/", views.event_verdict, name="verdict"),
    path("<id:pk>/help/", views.event_help, name="help"),
]
