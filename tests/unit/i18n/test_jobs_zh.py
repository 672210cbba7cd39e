"""Background jobs, the gateway's errors and the API's messages in Simplified Chinese (issue #18).

The pages follow the reader's Accept-Language; what a job's worker words (why it stopped, each failed object's
cause) is in the language of the person who started it, recorded when the job was queued.
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation

from console.jobs import services
from console.jobs.models import Job, JobFailure
from console.jobs.runner import run_job

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english_after():
    """A request in Chinese leaves Chinese active in this thread (LocaleMiddleware never deactivates): the tests
    that run next, in English without a request, would read Chinese."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def primary(db):
    """The connection jobs are started on: it has no credentials, so its storage refuses every call."""
    from storage.models import Connection

    return Connection.objects.create(name="primary", endpoint="http://127.0.0.1:9", bucket="jobs", is_default=True)


def request_in(language: str, user):
    """A request as LocaleMiddleware leaves it for a person reading `language`."""
    request = RequestFactory().post("/")
    request.user, request.LANGUAGE_CODE = user, language
    return request


def start(user, *, language: str = "en", **fields) -> Job:
    job = services.start_job(user, Job.Kind.DELETE, "primary", items=["photos/"], request=request_in(language, user))
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def test_the_jobs_list_is_in_chinese(users, as_editor):
    start(users["editor"])
    html = as_editor.get("/jobs/", **ZH).content.decode()
    assert "<h1>任务</h1>" in html and "您的后台任务，最新的在前" in html
    assert "删除 photos/" in html and "排队中" in html and "排队时间（UTC）" in html
    assert "Your background jobs" not in html and "Queued or running" not in html


def test_a_jobs_page_is_in_chinese(users, as_editor):
    job = start(users["editor"], state=Job.State.RUNNING, objects_total=3000, objects_done=1000, objects_failed=2,
                phase="working", started_at=timezone.now())
    html = as_editor.get(f"/jobs/{job.pk}/", **ZH).content.decode()
    assert f"任务 {job.pk}" in html and "位于 <a href=" in html and "由 editor 发起。" in html
    assert "1,002 / 3,000 个对象（33%）" in html and "失败 2 个" in html and ">处理中<" in html
    assert "3,000 objects" not in html and "started by" not in html and ">Cancel<" not in html


def test_the_jobs_panel_is_in_chinese(users, as_editor):
    start(users["editor"], state=Job.State.QUEUED)
    html = as_editor.get("/jobs/panel/primary/", **ZH, **HTMX).content.decode()
    assert "您的全部任务" in html and "等待工作进程" in html and "正在取消" not in html
    assert "All your jobs" not in html and "Waiting for a worker" not in html


def test_what_a_job_action_says_is_in_chinese(users, as_editor):
    job = start(users["editor"])
    answer = as_editor.post(f"/jobs/{job.pk}/cancel/", {"back": "/jobs/"}, **ZH)
    assert [str(m) for m in get_messages(answer.wsgi_request)] == ["已取消。"]


def test_a_job_records_the_language_of_the_person_who_started_it(users):
    assert start(users["editor"], language="zh-hans").language == "zh-hans"
    assert start(users["editor"]).language == "en"


@pytest.mark.django_db(transaction=True)  # the worker's pool threads read the connection from their own connection
@override_settings(JOBS_STORAGE_RETRY_SECONDS=0)
def test_a_job_started_in_chinese_says_why_it_stopped_in_chinese(users, as_editor):
    job = start(users["editor"], language="zh-hans")
    assert run_job(job.pk, "test-worker") == Job.State.FAILED
    job.refresh_from_db()
    # Worded in the worker's pool thread (the storage call), then by the runner: both in the starter's language.
    assert job.last_error == "连接“primary”未配置凭证。已停止：完成 0 个，跳过 0 个，失败 0 个。"
    html = as_editor.get(f"/jobs/{job.pk}/", **ZH).content.decode()
    assert job.last_error in html and ">失败<" in html and ">继续<" in html


@pytest.mark.django_db(transaction=True)
@override_settings(JOBS_STORAGE_RETRY_SECONDS=0)
def test_a_job_started_in_english_says_why_in_english(users):
    job = start(users["editor"])
    run_job(job.pk, "test-worker")
    job.refresh_from_db()
    assert job.last_error == "No credentials are configured for 'primary'. Stopped: 0 done, 0 skipped, 0 failed."


def test_the_apis_message_follows_accept_language_and_its_code_stays(client):
    english = client.get("/api/ossgateway/v1/default-storage").json()
    chinese = client.get("/api/ossgateway/v1/default-storage", **ZH).json()
    assert english == {"code": 401031001,
                       "message": "A service token is required: send 'Authorization: Bearer <token>'."}
    assert chinese == {"code": 401031001, "message": "需要服务令牌：请发送“Authorization: Bearer <token>”。"}


def test_a_gateway_error_reaches_the_api_in_chinese(client, db):
    from storage.service_tokens import issue_token

    raw = issue_token("zh-test").raw
    answer = client.get("/api/ossgateway/v1/upload/primary/a.txt?request_method=POST",
                        HTTP_AUTHORIZATION=f"Bearer {raw}", **ZH)
    assert answer.status_code == 400
    assert answer.json() == {"code": 400031001, "message": "仅支持 request_method=PUT（收到“POST”）。"}


def test_work_handed_to_a_pool_thread_is_worded_in_the_language_of_who_handed_it():
    from concurrent.futures import ThreadPoolExecutor

    from storage.gateway import object_on
    from storage.threads import in_this_language

    with translation.override("zh-hans"), ThreadPoolExecutor(1) as pool:
        assert pool.submit(in_this_language(object_on), "primary", "a.txt").result() == "连接“primary”上的“a.txt”"
        assert pool.submit(object_on, "primary", "a.txt").result() == "'a.txt' on 'primary'"  # why it is needed


def test_a_failed_objects_cause_follows_a_chinese_colon(users, as_editor):
    job = start(users["editor"], language="zh-hans", state=Job.State.FAILED, objects_failed=1,
                finished_at=timezone.now())
    JobFailure.objects.create(job=job, key="photos/a.txt", cause="没有此对象。")
    html = as_editor.get(f"/jobs/{job.pk}/", **ZH).content.decode()
    assert "<code>photos/a.txt</code>：没有此对象。" in html
