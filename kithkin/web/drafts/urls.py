from django.urls import path

from kithkin.web.drafts import views

app_name = "drafts"
urlpatterns = [
    path("templates/", views.draft_templates, name="templates"),
]
