from django.urls import path

from kithkin.web.finder import views

app_name = "finder"
urlpatterns = [path("", views.ask_view, name="ask")]
