# ruff: noqa: F811 (the fixtures imported below are the tests' arguments)
"""Share links in Simplified Chinese: what a browser asking for zh-CN is shown, on the pages people make links on
and on the anonymous pages a visitor opens. The links are the team editor's (A:team/, tests/unit/access_world.py).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from console.access.models import Grant
from console.shares import service
from console.shares.models import ShareLink
from tests.unit.access_world import matrix_world, moto_world_s3, world  # noqa: F401 (the fixtures)

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}


@pytest.fixture
def team(matrix_world):
    return matrix_world.client("team")


def public_link(matrix_world, kind: str, key: str, **options) -> tuple[ShareLink, str]:
    made, token = service.create_share(user=matrix_world.people["team"], kind=kind, connection="primary", key=key,
                                       **options)
    return made, reverse("share_public", args=[token])


def text(response) -> str:
    return response.content.decode()


# --- console/shares/views/manage.py ---


def test_the_share_dialog_is_in_chinese(team):
    page = text(team.get(reverse("share_new"), {"connection": "primary", "key": "team/readme.txt"}, **ZH))
    assert "<h2 id=\"share-dialog-title\">分享文件</h2>" in page
    assert "托管链接 — 有效期不限，可撤销，统计下载次数，可设置密码" in page and "创建链接" in page
    assert "Share file" not in page and "Create link" not in page and "Managed link" not in page


def test_a_refused_share_form_says_why_in_chinese(team):
    answer = team.post(reverse("share_new"), {"connection": "primary", "key": "team/readme.txt", "kind": "raw",
                                              "expires": "never"}, **ZH)
    assert "原始预签名链接的有效期最长为 7 天" in text(answer)
    assert "lasts at most 7 days" not in text(answer)


def test_a_new_managed_link_is_announced_in_chinese(team):
    answer = team.post(reverse("share_new"), {"connection": "primary", "key": "team/readme.txt", "kind": "managed",
                                              "expires": "604800"}, **ZH)
    page = text(answer)
    assert "链接已生成" in page and "托管链接，有效期至" in page and "我的分享</a>页面撤销此链接" in page
    assert "Link ready" not in page and "your shares page" not in page


def test_the_share_list_its_states_and_the_revoke_message_are_in_chinese(matrix_world, team):
    made, _url = public_link(matrix_world, ShareLink.Kind.FILE, "team/readme.txt")
    page = text(team.get(reverse("share_list"), {"status": "all"}, **ZH))
    assert "<h1>我的分享链接</h1>" in page and ">有效</span>" in page and "撤销所选链接" in page
    assert "My share links" not in page and ">active</span>" not in page
    answer = team.post(reverse("share_revoke"), {"share": [made.pk], "status": "all"}, follow=True, **ZH)
    assert "已撤销 1 个链接。" in text(answer) and ">已撤销</span>" in text(answer)
    assert "Revoked 1 link." not in text(answer)


def test_why_a_link_is_suspended_is_said_in_chinese(matrix_world, team):
    public_link(matrix_world, ShareLink.Kind.FILE, "team/readme.txt")
    Grant.objects.filter(user=matrix_world.people["team"]).delete()
    page = text(matrix_world.client("admin").get(reverse("share_list"), {"status": "all"}, **ZH))
    assert "team 已不再拥有 primary:team/readme.txt 的编辑者角色。" in page and ">已暂停</span>" in page
    assert "no longer holds the editor role" not in page
    assert "的编辑者角色。如果在链接过期前恢复该访问权限" in page, "two Chinese sentences: no space between"


# --- console/shares/views/public.py ---


def test_a_shared_file_page_is_in_chinese(matrix_world):
    _made, url = public_link(matrix_world, ShareLink.Kind.FILE, "team/readme.txt", max_downloads=3)
    page = text(Client().get(url, **ZH))
    assert "<title>readme.txt</title>" in page and "剩余下载次数" in page and "共 3 次，已用 0 次" in page
    assert "与您分享的内容" in page and ">下载</a>" in page
    assert "Downloads left" not in page and ">Download</a>" not in page


def test_a_shared_folder_page_is_in_chinese(matrix_world):
    _made, url = public_link(matrix_world, ShareLink.Kind.FOLDER, "team/")
    page = text(Client().get(url, **ZH))
    assert '<th scope="col">名称</th>' in page and '<th scope="col">修改时间</th>' in page
    assert '<th scope="col">Name</th>' not in page and "Modified" not in page


def test_the_password_page_and_its_refusal_are_in_chinese(matrix_world):
    _made, url = public_link(matrix_world, ShareLink.Kind.FILE, "team/readme.txt", password="s3cret-enough")
    page = text(Client().get(url, **ZH))
    assert "<h1>此链接需要密码</h1>" in page and "This link needs a password" not in page
    refused = text(Client().post(url, {"password": "wrong"}, **ZH))
    assert "无法打开：密码错误，或链接无效。" in refused and "That did not work" not in refused


def test_a_link_that_no_longer_works_says_why_in_chinese(matrix_world):
    made, url = public_link(matrix_world, ShareLink.Kind.FILE, "team/readme.txt")
    service.revoke(ShareLink.objects.filter(pk=made.pk))
    answer = Client().get(url, **ZH)
    assert answer.status_code == 410
    assert "<h1>链接不可用</h1>" in text(answer) and "此链接已被分享者撤销。" in text(answer)
    assert "Link not available" not in text(answer) and "was revoked" not in text(answer)


def test_a_drop_box_page_and_its_refusals_are_in_chinese(matrix_world):
    _made, url = public_link(matrix_world, ShareLink.Kind.DROPBOX, "team/", max_upload_size=1024**2)
    visitor = Client(enforce_csrf_checks=False)
    page = text(visitor.get(url, **ZH))
    assert "<h1>上传文件</h1>" in page and "单个文件不超过 1.0\xa0MB" in page
    assert "Upload files" not in page and "up to" not in page
    refused = visitor.post(url + "upload-policy/", json.dumps({"filename": "big.bin", "size": 2 * 1024**2}),
                           content_type="application/json", **ZH)
    assert refused.status_code == 400
    assert refused.json()["error"] == "文件超出了此链接允许的大小（单个文件不超过 1.0\xa0MB）。"
