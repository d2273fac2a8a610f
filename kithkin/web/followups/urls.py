from django.urls import path

from kithkin.web.drafts.views import follow_up_draft
from kithkin.web.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.today, name="today"),
    path("follow-ups/", views.due, name="due"),
    path("follow-ups/<id:pk>/done/", views.done, name="done"),
    path("follow-ups/<id:pk>/skip/", views.skip, name="skip"),
    path("follow-ups/<id:pk>/snooze/", views.snooze, name="snooze"),
    path("follow-ups/<id:pk>/reopen/", views.reopen, name="reopen"),
    path("follow-ups/<id:pk>/draft/", follow_up_draft, name="draft"),
    path("demo/", views.load_demo, name="load_demo"),
    path("people/<id:person_pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<id:pk>/apply/", views.milestone_apply, name="milestone_apply"),
]
