from django.contrib.auth import views as auth_views
from django.urls import path

from kithkin.web.accounts import tokens, views
from kithkin.web.accounts.forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=SignInForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("link/<str:token>/", views.login_link, name="login_link"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/password/", views.change_password, name="password"),
    path("settings/tokens/", tokens.token_list, name="tokens"),
    path("settings/tokens/<id:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
