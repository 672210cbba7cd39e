"""Groups and grants: a connection's grants and who can do what there, groups, a person's page."""

from django.urls import path

from console.teams.views import grants, groups, people, who

urlpatterns = [
    path("connections/<str:name>/access/", grants.connection_access, name="connection_access"),
    path("connections/<str:name>/who/", who.connection_who, name="connection_who"),
    path("grants/<int:grant_id>/role/", grants.grant_role, name="grant_role"),
    path("grants/<int:grant_id>/remove/", grants.grant_remove, name="grant_remove"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/<int:group_id>/", groups.group_detail, name="group_detail"),
    path("groups/<int:group_id>/rename/", groups.group_rename, name="group_rename"),
    path("groups/<int:group_id>/delete/", groups.group_delete, name="group_delete"),
    path("groups/<int:group_id>/members/", groups.group_member_add, name="group_member_add"),
    path("groups/<int:group_id>/members/remove/", groups.group_member_remove, name="group_member_remove"),
    path("users/<int:pk>/", people.user_detail, name="user_detail"),
]
