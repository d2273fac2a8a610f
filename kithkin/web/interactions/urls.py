from django.urls import path

from kithkin.web.interactions import views

app_name = "interactions"
urlpatterns = [
    path("capture/", views.capture, name="capture"),
    path("<id:pk>/", views.touch_detail, name="detail"),
]
