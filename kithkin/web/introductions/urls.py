from django.urls import path

from kithkin.web.introductions import views

app_name = "introductions"
urlpatterns = [
    path("", views.introduction_list, name="list"),
    path("templates/", views.introduction_templates, name="templates"),
    path("<int:pk>/", views.introduction_detail, name="detail"),
    path("<int:pk>/step/", views.introduction_step, name="step"),
]
