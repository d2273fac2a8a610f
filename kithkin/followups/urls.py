from django.urls import path

from kithkin.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.today, name="today"),
    path("follow-ups/", views.due, name="due"),
    path("follow-ups/<int:pk>/done/", views.done, name="done"),
    path("follow-ups/<int:pk>/skip/", views.skip, name="skip"),
    path("follow-ups/<int:pk>/snooze/", views.snooze, name="snooze"),
    path("demo/", views.load_demo, name="load_demo"),
]
