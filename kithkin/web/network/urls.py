from django.urls import path

from kithkin.web.network import views

app_name = "network"
urlpatterns = [
    path("", views.rekindle, name="rekindle"),
    path("<id:pk>/reached-out/", views.reached_out_view, name="reached_out"),
    path("<id:pk>/snooze/", views.snooze, name="snooze"),
    path("<id:pk>/let-go/", views.let_go_view, name="let_go"),
    path("<id:pk>/keep/", views.keep, name="keep"),
]
