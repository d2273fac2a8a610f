from django.urls import path

from kithkin.web.introductions import views

app_name = "introductions"
urlpatterns = [
    path("", views.introduction_list, name="list"),
    path("templates/", views.introduction_templates, name="templates"),
    path("suggested/", views.suggested_list, name="suggested"),
    path("suggested/propose/", views.suggested_propose, name="suggested_propose"),
    path("suggested/hide/", views.suggested_hide, name="suggested_hide"),
    path("<id:pk>/", views.introduction_detail, name="detail"),
    path("<id:pk>/step/", views.introduction_step, name="step"),
]
