from django.contrib.auth import views as auth_views
from django.urls import path

from kithkin.web.accounts import team, tokens, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("link/<str:token>/", views.login_link, name="login_link"),
    path("invite/<str:token>/", views.invite_link, name="invite_link"),
    path("reset/<str:token>/", views.reset_link, name="reset_link"),
    path("signup/", views.sign_up, name="signup"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path("password/new/", views.new_password, name="new_password"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/password/", views.change_password, name="password"),
    path("team/", team.team_page, name="team"),
    path("team/invite/", team.invite, name="team_invite"),
    path("team/<id:pk>/link/", team.new_link, name="team_link"),
    path("team/<id:pk>/disable/", team.switch, {"action": "disable"}, name="team_disable"),
    path("team/<id:pk>/enable/", team.switch, {"action": "enable"}, name="team_enable"),
    path("digest/off/<str:token>/", views.digest_off, name="digest_off"),
    path("settings/tokens/", tokens.token_list, name="tokens"),
    path("settings/tokens/<id:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
