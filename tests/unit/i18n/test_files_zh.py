"""The file manager in Simplified Chinese: each of its view modules answers a zh-CN browser in Chinese (#18).

The catalog must be compiled (`make compiled-messages`, which `make test` does). Each test asserts a Chinese
heading, label or message a person would see, and that the English one is gone.
"""

# ruff: noqa: F811 (the access world's fixtures are imported here, the directory has no conftest of its own)
from __future__ import annotations

import json

import pytest

from console.models import AuditEvent
from tests.unit.access_world import moto_world_s3, world  # noqa: F401
from tests.unit.admin_support import BUCKET

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _compiled_catalog():
    from django.utils import translation

    with translation.override("zh-hans"):
        if translation.gettext("Upload files") == "Upload files":
            pytest.fail("the zh_Hans catalog is not compiled, or lacks the file manager: make compiled-messages")


def _page(client, url: str, **extra) -> str:
    response = client.get(url, **ZH, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_browse_shows_the_connections_the_folder_and_a_file_in_chinese(world):
    editor = world.client("editor")
    assert "<h1>文件</h1>" in _page(editor, "/files/")
    folder = _page(editor, "/files/primary/?prefix=docs/")
    assert "上传文件" in folder and "最后修改时间" in folder and "下载" in folder
    assert "Upload files" not in folder and "Last modified" not in folder and ">Download<" not in folder
    file = _page(editor, "/files/primary/object/?key=docs/readme.txt")
    assert "复制对象键" in file and "<h2 id=\"meta-heading\">元数据</h2>" in file
    assert "Copy key" not in file and ">Metadata<" not in file


def test_a_preview_note_is_in_the_language_of_whoever_opens_the_page(world, moto_world_s3):
    """The rendered preview is kept per file version: its notes must not stay in the first reader's language."""
    moto_world_s3.put_object(Bucket=BUCKET, Key="docs/rows.csv", Body=b"a,b,c\n1,2\n", ContentType="text/csv")
    viewer = world.client("viewer")
    english = viewer.get("/files/primary/object/?key=docs/rows.csv", **EN).content.decode()
    assert "Row 2 has a different number of cells" in english
    chinese = _page(viewer, "/files/primary/object/?key=docs/rows.csv")
    assert "第 2 行的单元格数与首行（表头）不同" in chinese and "Row 2 has" not in chinese


def test_the_sort_order_is_translated_on_the_page_and_stays_english_in_the_audit(world, moto_world_s3):
    moto_world_s3.put_object(Bucket=BUCKET, Key="docs/pics/a.png", Body=b"x")
    html = _page(world.client("viewer"), "/files/primary/?prefix=docs/pics/&view=gallery&sort=size")
    assert "已按大小（从大到小）排序" in html and "Sorted by" not in html
    shown = AuditEvent.objects.get(kind="objects.thumbnails_shown")
    assert shown.detail["order"] == "size, largest first"


def test_objects_ask_and_answer_in_chinese(world):
    editor = world.client("editor")
    form = _page(editor, "/files/primary/new-folder/?prefix=docs/")
    assert "<h1>新建文件夹</h1>" in form and "New folder" not in form
    refused = editor.post("/files/primary/new-folder/", {"prefix": "docs/", "name": ""}, **ZH).content.decode()
    assert "请填写文件夹名称。" in refused and "Give the folder a name." not in refused
    done = editor.post("/files/primary/delete/", {"key": "docs/readme.txt"}, follow=True, **ZH).content.decode()
    assert "已删除“readme.txt”。" in done and "Deleted readme.txt." not in done


def test_jobs_confirmations_and_forms_are_in_chinese(world):
    editor = world.client("editor")
    folder = _page(editor, "/files/primary/delete-folder/?prefix=docs/")
    assert "删除文件夹 docs？" in folder and "个文件" in folder and "Delete the folder" not in folder
    transfer = _page(editor, "/files/primary/copy-move/?key=docs/readme.txt")
    assert "目标文件夹" in transfer and "保留两者" in transfer
    assert "Destination folder" not in transfer and "Keep both" not in transfer
    refused = editor.post("/files/primary/copy-move/", {"confirm": "yes", "key": "docs/readme.txt", "prefix": "docs/",
                                                         "op": "copy", "folder": "a//b", "name": "readme.txt",
                                                         "conflict": "keep_both"}, **ZH).content.decode()
    assert "文件夹路径中有空的文件夹名称" in refused and "empty folder name" not in refused


def test_search_page_is_in_chinese(world):
    html = _page(world.client("viewer"), "/files/primary/search/?prefix=docs/")
    assert "文件名包含" in html and "在 docs 中搜索" in html
    assert "File name contains" not in html and "Search in" not in html


def test_incomplete_uploads_are_listed_in_chinese(world):
    html = _page(world.client("manager"), "/files/primary/incomplete/")
    assert "<h1>未完成的分片上传</h1>" in html and "中止旧的上传" in html
    assert "Incomplete uploads</h1>" not in html and "Abort old uploads" not in html


def test_versions_and_deleted_files_say_in_chinese_that_versioning_is_off(world):
    viewer = world.client("viewer")
    versions = _page(viewer, "/files/primary/versions/?key=docs/readme.txt")
    assert "此存储桶未开启版本控制" in versions and "Versioning is off" not in versions
    deleted = _page(viewer, "/files/primary/deleted/?prefix=docs/")
    assert "docs/ 中已删除的文件" in deleted and "Deleted files in" not in deleted


def test_metadata_form_and_its_errors_are_in_chinese(world):
    editor = world.client("editor")
    form = _page(editor, "/files/primary/metadata/?key=docs/readme.txt")
    assert "readme.txt 的元数据和标签" in form and "内容类型" in form and "Content type" not in form
    refused = editor.post("/files/primary/metadata/", {"key": "docs/readme.txt", "content_type": "text/plain",
                                                        "metadata": "no separator"}, **ZH).content.decode()
    assert "第 1 行：元数据请按“名称: 值”填写。" in refused and "write metadata as" not in refused


def test_zip_entries_refuse_in_chinese(world):
    answer = world.client("viewer").get("/files/primary/zip/entries/?prefix=docs/", **ZH)
    assert answer.status_code == 403
    assert json.loads(answer.content)["error"] == "打包下载须从控制台的文件夹页面开始。"


def test_upload_signing_refuses_in_chinese(world):
    answer = world.client("editor").post("/files/primary/s3/params", "{}", content_type="application/json", **ZH)
    assert answer.status_code == 400 and json.loads(answer.content)["error"] == "文件没有名称。"
