from django.urls import path

from kithkin.web.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/delete/", views.event_delete, name="delete"),
    path("<int:pk>/met/", views.event_met, name="met"),
    path("<int:pk>/verdict/", views.event_verdict, name="verdict"),
    path("<int:pk>/help/", views.event_help, name="help"),
]
