from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/new/", views.org_create, name="org-create"),
    path("orgs/switcher/", views.org_switcher, name="org-switcher"),
    path("orgs/<str:org_id>/settings/", views.org_settings, name="org-settings"),
    path("orgs/<str:org_id>/delete/", views.org_delete, name="org-delete"),
    path("orgs/<str:org_id>/leave/", views.org_leave, name="org-leave"),
    path("orgs/<str:org_id>/members/", views.member_list, name="member-list"),
    path("orgs/<str:org_id>/members/invite/", views.member_invite, name="member-invite"),
    path("orgs/<str:org_id>/members/<str:user_id>/role/", views.member_role, name="member-role"),
    path("orgs/<str:org_id>/members/<str:user_id>/remove/", views.member_remove, name="member-remove"),
    path("orgs/<str:org_id>/members/<str:user_id>/transfer/", views.member_transfer, name="member-transfer"),
    path(
        "orgs/<str:org_id>/invitations/<str:invitation_id>/resend/", views.invitation_resend, name="invitation-resend"
    ),
    path(
        "orgs/<str:org_id>/invitations/<str:invitation_id>/revoke/", views.invitation_revoke, name="invitation-revoke"
    ),
    path("orgs/<str:org_id>/activity/", views.activity, name="activity"),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation-detail"),
]
