from django.urls import path

from kithkin.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("add/", views.person_add, name="add"),
    path("want-to-meet/", views.prospect_list, name="prospects"),
    path("<int:pk>/", views.person_detail, name="detail"),
]
