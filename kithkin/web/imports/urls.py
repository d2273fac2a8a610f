from django.urls import path

from kithkin.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("preview/<str:token>/", views.import_preview, name="preview"),
    path("preview/<str:token>/import/", views.import_apply, name="apply"),
    path("preview/<str:token>/cancel/", views.import_discard, name="discard"),
    path("<id:pk>/", views.import_detail, name="detail"),
    path("<id:pk>/undo/", views.import_undo, name="undo"),
]
