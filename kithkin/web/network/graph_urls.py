from django.urls import path

from kithkin.web.network import graph

app_name = "graph"
urlpatterns = [
    path("", graph.graph_page, name="page"),
    path("data.json", graph.graph_json, name="data"),
]
