from django.urls import path

from kithkin.web.ties import views

app_name = "ties"
urlpatterns = [
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<id:pk>/", views.organization_detail, name="organization"),
    path("ties/<id:pk>/knows/", views.knows, name="knows"),
    path("ties/<id:pk>/not/<id:other>/", views.not_known, name="not_known"),
    path("ties/<id:pk>/roles/", views.add_role_view, name="add_role"),
    path("ties/<id:pk>/roles/remove/", views.remove_role_view, name="remove_role"),
    path("ties/ask/", views.ask_intro, name="ask"),
]
