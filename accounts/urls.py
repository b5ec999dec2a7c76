from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("reset/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("profile/", views.profile, name="profile"),
]
