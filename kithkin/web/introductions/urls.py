from django.urls import path

from kithkin.web.introductions import views

app_name = "introductions"
urlpatterns = [
    path("", views.introduction_list, name="list"),
    path("templates/", views.introduction_templates, name="templates"),
    path("<id:pk>/", views.introduction_detail, name="detail"),
    path("<id:pk>/step/", views.introduction_step, name="step"),
]
