"""The connections, bucket, edition and s3.yaml pages in Simplified Chinese: a browser asking for zh-CN reads
Chinese headings, labels and messages, and not the English they replace."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from storage.models import Connection
from tests.unit.admin_support import htmx, make_connection, moto_s3  # noqa: F401

pytestmark = pytest.mark.usefixtures("moto_s3")
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}


def zh_page(client, url: str, **extra) -> str:
    response = client.get(url, **ZH, **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_the_connection_list_is_in_chinese(as_admin):
    make_connection("primary", is_default=True)
    page = zh_page(as_admin, "/connections/")
    assert "<h1>连接</h1>" in page and "添加连接" in page and "全部检查" in page
    assert 'data-label="端点"' in page and '<span class="badge default">默认</span>' in page
    assert "Add a connection" not in page and "Check all" not in page and ">default<" not in page


def test_the_connection_form_says_its_labels_and_help_in_chinese(as_admin):
    make_connection("primary")
    page = zh_page(as_admin, "/connections/primary/edit/")
    assert "编辑 primary" in page and "访问密钥 ID" in page and "寻址方式" in page and "测试这些值" in page
    assert "自动（自定义端点使用路径寻址）" in page  # a choice of the model
    assert "Secret access key" not in page and "Test these values" not in page and "Addressing style" not in page


def test_a_refused_endpoint_is_explained_in_chinese(as_admin, settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    form = {"name": "local", "endpoint": "127.0.0.1:9000", "public_endpoint": "", "region": "us-east-1",
            "bucket": "b", "access_key_id": "k", "secret_access_key": "s", "addressing_style": "auto",
            "use_ssl": "on", "verify_ssl": "on", "enabled": "on", "max_upload_size": "1000"}
    page = as_admin.post("/connections/new/", form, **ZH).content.decode()
    assert "127.0.0.1 位于环回或私有网络" in page and "部分值需要修改" in page
    assert "loopback or private network" not in page


def test_a_connection_made_default_is_announced_in_chinese(as_admin):
    make_connection("primary", is_default=True)
    make_connection("backup")
    table = as_admin.post("/connections/backup/default/", **ZH, **htmx()).content.decode()
    assert "“backup”现在是默认连接。" in table
    assert "is now the default connection" not in table


def test_the_health_and_delete_pages_are_in_chinese(as_admin):
    make_connection("primary", is_default=True)
    make_connection("backup")
    health = zh_page(as_admin, "/connections/backup/health/")
    assert "backup 的健康状态" in health and "可访问，" in health and "重新检查" in health
    assert "Health of" not in health and "reachable" not in health
    delete = zh_page(as_admin, "/connections/backup/delete/")
    assert "删除 backup？" in delete and "这将删除连接记录" in delete
    assert "This removes the connection record" not in delete


# A connection's own pages: (url, Chinese that must show, the English it replaces).
CONNECTION_PAGES = [
    ("/connections/primary/cors/", ["primary 的 CORS", "暴露的标头", "检查 CORS"], ["Exposed headers", "Check CORS"]),
    ("/connections/primary/bucket/", ["primary 的存储桶", "此存储支持的功能", '<h2 id="usage-heading">用量</h2>'],
     ["What this storage supports", "Bucket of", "Not computed yet."]),
    ("/connections/primary/bucket/create/", ["创建 primary 的存储桶", "已存在", "存储桶设置"],
     ["exists already", "Bucket settings"]),
]


@pytest.mark.parametrize(("url", "chinese", "english"), CONNECTION_PAGES)
def test_a_connection_page_is_in_chinese(as_admin, url, chinese, english):
    make_connection("primary")
    page = zh_page(as_admin, url)
    assert [text for text in chinese if text not in page] == []
    assert [text for text in english if text in page] == []


def test_a_bucket_change_is_confirmed_in_chinese(as_admin):
    make_connection("primary")
    page = as_admin.post("/connections/primary/bucket/lifecycle/",
                         {"action": "expire", "prefix": "logs/", "days": "30"}, **ZH).content.decode()
    assert "添加生命周期规则：logs/ 下的文件在写入 30 天后删除。" in page and ">应用</button>" in page
    assert "Add a lifecycle rule" not in page and "are deleted" not in page


def test_the_edition_page_is_in_chinese(as_admin):
    page = zh_page(as_admin, "/edition/")
    lead = page[page.index('<p class="lead">'):page.index("</p>", page.index('<p class="lead">'))]
    assert "<h1>版本类型</h1>" in page and "<strong>社区版</strong>" in lead and "<strong>S3 网关</strong>" in lead
    assert "Now running" not in lead and "community" not in lead and "测试会向管理器查询其默认存储" in page


def test_the_s3_yaml_page_and_its_errors_are_in_chinese(as_admin):
    page = zh_page(as_admin, "/config/")
    assert "导入和导出 s3.yaml" in page and "下载 s3.yaml" in page
    assert "Import and export" not in page and "Download s3.yaml" not in page
    bad = SimpleUploadedFile("s3.yaml", b"connections: 3\n", content_type="application/yaml")
    region = as_admin.post("/config/import/", {"file": bad}, **ZH, **htmx()).content.decode()
    assert "键“connections”必须是列表" in region
    assert "must be a list" not in region


def test_the_english_pages_stay_english(as_admin):
    make_connection("primary")
    page = as_admin.get("/connections/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add a connection" in page and "添加连接" not in page
    assert Connection.objects.count() == 1


def test_a_refused_bucket_change_reads_as_chinese_sentences_without_a_space_after_a_full_stop(as_admin):
    make_connection("primary")
    page = as_admin.post("/connections/primary/bucket/versioning/", {"status": "Sideways"}, follow=True,
                         **ZH).content.decode()
    assert "请选择开启或暂停。选择一个有效的选项。" in page  # the hint, then Django's sentence: no space between
