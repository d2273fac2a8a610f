from django.urls import path

from kithkin.web.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.insights_page, name="page"),
]
