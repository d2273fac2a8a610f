from django.urls import path

from kithkin.web.exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("record/", views.record, name="record"),
    path("asks/<id:pk>/settle/", views.settle_ask, name="settle_ask"),
    path("asks/<id:pk>/close/", views.close_ask_view, name="close_ask"),
    path("resources/", views.resources, name="resources"),
    path("resources/<id:pk>/", views.resource_detail, name="resource"),
    path("resources/<id:pk>/send/", views.send_resource, name="send"),
]
