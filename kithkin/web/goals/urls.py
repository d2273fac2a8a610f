from django.urls import path

from kithkin.web.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list, name="list"),
    path("week/", views.week, name="week"),
    path("<id:pk>/", views.goal_detail, name="detail"),
    path("<id:pk>/targets/", views.goal_targets, name="targets"),
    path("<id:pk>/done/", views.goal_done, name="done"),
]
