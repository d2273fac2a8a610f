from django.urls import path

from kithkin.web.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("add/", views.person_add, name="add"),
    path("add/paste/", views.person_add_paste, name="paste"),
    path("add/paste/confirm/", views.person_add_paste_confirm, name="paste_confirm"),
    path("add/added/", views.person_add_added, name="added"),
    path("want-to-meet/", views.prospect_list, name="prospects"),
    path("want-to-meet/<id:pk>/status/", views.prospect_status, name="prospect_status"),
    path("<id:pk>/", views.person_detail, name="detail"),
    path("<id:pk>/edit/<slug:section>/", views.person_section, name="section"),
    path("<id:pk>/remind/", views.person_remind, name="remind"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("<id:pk>/merge/<id:other>/", views.person_merge, name="merge"),
    path("<id:pk>/distinct/<id:other>/", views.person_distinct, name="distinct"),
    path("suggest/", views.suggest, name="suggest"),
]
