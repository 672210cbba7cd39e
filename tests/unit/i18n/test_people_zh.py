"""The people, teams, sign-in and admin pages, and the error pages, in Simplified Chinese.

A browser that asks for Chinese gets the page's headings, labels and messages from the zh_Hans catalog;
the English words they replace are gone. Names people chose (users, groups, connections) stay as they are.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from console import audit
from console.access.models import Grant
from console.accounts.oidc.refusal import SignInRefused
from console.accounts.oidc.views import refused
from console.models import AuditEvent
from console.sizes import parse_size, show_size
from tests.unit.admin_support import make_connection

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}


def page(client, url: str, **extra) -> str:
    return client.get(url, **ZH, **extra).content.decode()


def following(client, url: str, data: dict) -> str:
    """The page a POST lands on, with its message."""
    return client.post(url, data, follow=True, **ZH).content.decode()


@pytest.fixture
def team(users):
    connection = make_connection("primary")
    group = Group.objects.create(name="finance")
    group.user_set.add(users["editor"])
    Grant.objects.create(connection=connection, group=group, role="editor", prefix="docs/")
    return group


def test_the_start_page_and_the_menus_are_in_chinese(as_admin):
    html = page(as_admin, "/")
    assert "<h1>存储</h1>" in html and "审计日志" in html and "服务令牌" in html
    assert "Storages" not in html and "Audit log" not in html and "Service tokens" not in html
    assert '<span class="badge">管理员</span>' in html, "the header names the person's role in Chinese"


def test_the_users_page_and_its_messages_are_in_chinese(as_admin, users):
    html = page(as_admin, "/users/")
    assert "添加用户" in html and "所有连接上的角色" in html and '<option value="viewer">查看者</option>' in html
    assert "Add a person" not in html and "Role on every connection" not in html and ">viewer</option>" not in html
    landed = following(as_admin, f"/users/{users['viewer'].pk}/role/", {"role": "editor"})
    assert "viewer 的角色现为：编辑者。" in landed and "role is now" not in landed


def test_sign_in_break_glass_and_set_password_pages_are_in_chinese(db, client):
    html = page(client, "/accounts/login/")
    assert "<h1>登录</h1>" in html and "用户名" in html and "User name" not in html
    refused = client.post("/accounts/login/", {"username": "nobody", "password": "x"}, **ZH).content.decode()
    assert "用户名和密码不匹配" in refused and "do not match" not in refused
    html = page(client, "/accounts/break-glass/")
    assert "<h1>应急登录</h1>" in html and "Break-glass" not in html
    html = page(client, "/accounts/set-password/MQ/nothing-set/")
    assert "此链接已失效" in html and "does not work any more" not in html


def test_a_refused_single_sign_on_reads_in_chinese_and_is_audited_in_english(db):
    request = RequestFactory().get("/oidc/callback/", **ZH)
    request.user, request.session = AnonymousUser(), {}
    with translation.override("zh-hans"):
        html = refused(request, SignInRefused("expired")).content.decode()
    assert "<h1>登录被拒绝</h1>" in html and "ID 令牌已过期" in html and "has expired" not in html
    assert AuditEvent.objects.get(kind="auth.sign_in_failed").detail["reason"] == "the ID token has expired"


def test_the_groups_pages_and_their_messages_are_in_chinese(as_admin, team):
    html = page(as_admin, "/groups/")
    assert "新建用户组" in html and "所有连接上的角色" in html and "New group" not in html
    html = page(as_admin, f"/groups/{team.pk}/")
    assert "用户组 finance" in html and "为用户组分配角色" in html and "Give the group a role" not in html
    landed = following(as_admin, "/groups/", {"name": "ops"})
    assert "已创建用户组 ops" in landed and "was created" not in landed


def test_a_connections_grants_page_and_its_messages_are_in_chinese(as_admin, team, users):
    html = page(as_admin, "/connections/primary/access/")
    assert "primary 的访问权限" in html and "在 <code" not in html and "Access to primary" not in html
    assert "授权会叠加" in html and "Grants add up" not in html
    grant = Grant.objects.get(group=team)
    landed = following(as_admin, f"/grants/{grant.pk}/role/", {"role": "manager", "back": "/connections/primary/access/"})
    assert "用户组 finance 现在在 primary 上的 docs/ 上拥有管理者角色。" in landed and "now holds" not in landed


def test_a_persons_page_is_in_chinese(as_admin, team, users):
    html = page(as_admin, f"/users/{users['editor'].pk}/")
    assert "来自所在用户组" in html and "为其分配角色" in html and "Through their groups" not in html
    assert "上为编辑者，来自" in html and "editor on" not in html


def test_who_can_do_what_is_in_chinese(as_admin, team):
    html = page(as_admin, "/connections/primary/who/?folder=docs/")
    assert "primary 的权限：" in html and "此处的角色" in html and "Who can do what" not in html
    assert "来自直接授权" in html and "来自用户组 finance" in html
    assert "their own grant" not in html and "through the group" not in html


def test_the_audit_log_reads_its_kinds_and_sentences_in_chinese(as_admin, users):
    audit.record(None, "grant.added", connection="primary", target="docs/", group="finance", role="editor",
                 actor_name=audit.OUTSIDE_ACTOR)
    audit.record(None, "auth.sign_in_failed", target="bob", method="password", reason="wrong user name or password")
    audit.record(None, "config.exported", scope=audit.WITHOUT_SECRETS)
    html = page(as_admin, "/audit/")
    assert "为 用户组 finance 授予编辑者角色。" in html and "Gave the group" not in html
    assert "登录失败（使用密码）：用户名或密码错误。" in html and "wrong user name" not in html
    assert "<code>添加授权</code>" in html and "<code>grant.added</code>" not in html
    assert "（控制台外部）" in html and "outside the console" not in html
    assert "<dt>范围</dt><dd>不含访问密钥</dd>" in html and "<dt>scope</dt>" not in html and "secret keys" not in html
    assert "共 3 个事件。" in html and "3 events." not in html


def test_the_service_tokens_page_and_its_messages_are_in_chinese(as_admin):
    html = page(as_admin, "/tokens/")
    assert "<h1>服务令牌</h1>" in html and "创建令牌" in html and "Create a token" not in html
    assert "所有连接，包括以后添加的" in html and "Every connection, present and future" not in html
    created = as_admin.post("/tokens/new/", {"name": "reports", "scope": "all", "access": "read-only"}, **ZH)
    html = created.content.decode()
    assert "令牌“reports”已创建" in html and "复制令牌" in html and "not shown again" not in html
    assert "范围：" in html and "范围： " not in html


def test_the_edition_and_import_messages_are_in_chinese(as_admin):
    landed = following(as_admin, "/edition/", {"edition": "community", "storage_backend": "", "ossgateway_url": ""})
    assert "没有任何更改。" in landed and "Nothing changed." not in landed
    html = as_admin.post("/config/import/apply/", **ZH).content.decode()
    assert "没有可应用的预览文件" in html and "There is no previewed file" not in html


def test_sizes_read_and_write_the_pages_language():
    with translation.override("zh-hans"):
        assert show_size(1000) == "1000 字节" and parse_size("1000 字节") == 1000
        with pytest.raises(ValueError, match="不是有效的大小"):
            parse_size("ten MB")


def test_the_404_page_is_in_chinese(as_viewer):
    response = as_viewer.get("/nowhere/", **ZH)
    html = response.content.decode()
    assert response.status_code == 404 and "<h1>未找到</h1>" in html and "Not found" not in html


def test_the_403_page_is_in_chinese_and_says_which_role_it_needs(as_viewer):
    response = as_viewer.get("/users/", **ZH)
    html = response.content.decode()
    assert response.status_code == 403 and "<h1>无权操作</h1>" in html and "此操作需要管理员角色。" in html
    assert "Not allowed" not in html and "This needs" not in html


def test_the_400_page_is_in_chinese(db, settings):
    settings.ALLOWED_HOSTS = ["console.example"]
    response = Client().get("/accounts/login/", HTTP_HOST="elsewhere.example", **ZH)
    html = response.content.decode()
    assert response.status_code == 400 and "<h1>请求无效</h1>" in html and "Bad request" not in html


def test_the_500_page_is_in_chinese_without_a_context(db):
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "<h1>服务器错误</h1>" in html and "已记入服务器日志" in html
    assert "Server error" not in html and "went wrong" not in html


def test_an_s3_yaml_previewed_in_english_applies_after_a_switch_to_chinese(as_admin):
    """Preview and apply compare the plan in one language: switching between them is not a change."""
    from console.models import AuditEvent
    from storage.models import Connection
    from tests.unit.console.adminpages.test_views_config_io import upload

    assert "2 created" in upload(as_admin).content.decode()
    as_admin.post("/language/", {"language": "zh-hans", "next": "/"})
    response = as_admin.post("/config/import/apply/")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Connection.objects.filter(name="backup").exists()
    assert AuditEvent.objects.get(kind="config.imported").detail["summary"].startswith("2 created")


def test_why_a_grant_was_taken_away_reads_in_chinese(as_admin, users):
    """The reason is stored in English with a name in it (the group or connection that went)."""
    audit.record(None, "grant.removed", connection="primary", target="docs/", group="finance", role="editor",
                 reason="the group finance was deleted")
    audit.record(None, "grant.removed", connection="old", user="pat", role="viewer",
                 reason="the connection old was deleted")
    html = page(as_admin, "/audit/")
    assert "（用户组 finance 已被删除）" in html and "（连接 old 已被删除）" in html
    assert "was deleted" not in html


def test_a_share_links_visitor_is_named_in_chinese_in_the_audit_log(as_admin):
    audit.record(None, "share.downloaded", connection="primary", target="docs/a.txt", actor_name="(share link)")
    audit.record(None, "share.dropbox_upload", connection="primary", target="in/b.txt", actor_name="(drop box link)")
    html = page(as_admin, "/audit/")
    assert "（分享链接）" in html and "（收件箱链接）" in html
    assert "(share link)" not in html and "(drop box link)" not in html


def test_a_refused_audit_filter_and_the_footer_read_with_chinese_punctuation(as_admin):
    html = page(as_admin, "/audit/?since=yesterday&until=soon")
    assert "筛选条件需要修改：起始日期：输入一个有效的日期。截止日期：输入一个有效的日期。" in html
    assert "版本类型：<strong>社区版</strong>" in html and "网关：<strong>S3 网关</strong>" in html
