"""Which language a page speaks: the person's choice (account, else cookie), else Accept-Language, else English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from console.accounts.models import Preferences

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}


def sign_out_button(page: str) -> str:
    return "退出登录" if "退出登录" in page else "Sign out" if "Sign out" in page else "?"


def test_it_speaks_english_when_nothing_asks_for_another_language(as_viewer):
    page = as_viewer.get("/").content.decode()
    assert '<html lang="en">' in page and sign_out_button(page) == "Sign out"


def test_it_speaks_chinese_to_a_browser_that_asks_for_it(as_viewer):
    response = as_viewer.get("/", **ZH)
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and sign_out_button(page) == "退出登录"
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("asked", ["fr-FR,de;q=0.8", "*", "xx"])
def test_it_falls_back_to_english_for_languages_it_does_not_have(as_viewer, asked):
    page = as_viewer.get("/", HTTP_ACCEPT_LANGUAGE=asked).content.decode()
    assert sign_out_button(page) == "Sign out"


@pytest.mark.parametrize("asked", ["zh-TW", "zh-Hant-HK", "zh"])
def test_a_reader_of_other_chinese_gets_simplified_chinese_rather_than_english(as_viewer, asked):
    page = as_viewer.get("/", HTTP_ACCEPT_LANGUAGE=asked).content.decode()
    assert sign_out_button(page) == "退出登录"


def test_the_switcher_keeps_the_choice_on_the_account_over_what_the_browser_asks(as_viewer, users):
    response = as_viewer.post("/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Preferences.objects.get(user=users["viewer"]).language == "zh-hans"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "zh-hans" and cookie["httponly"] and cookie["samesite"] == "Lax"

    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en-US")  # another browser, no cookie, asking for English
    elsewhere.force_login(users["viewer"])
    assert sign_out_button(elsewhere.get("/").content.decode()) == "退出登录"

    as_viewer.post("/language/", {"language": "en", "next": "/"})
    assert sign_out_button(as_viewer.get("/", **ZH).content.decode()) == "Sign out"


def test_an_anonymous_choice_lives_in_a_cookie(db):
    browser = Client()
    response = browser.post("/language/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response["Location"] == "/accounts/login/"
    assert '<html lang="zh-hans">' in browser.get("/accounts/login/").content.decode()
    assert not Preferences.objects.exists()


@pytest.mark.parametrize("language", ["xx", "", "zh-hans\r\nSet-Cookie: a=b", "en" * 40])
def test_it_ignores_a_language_it_does_not_have(client, language):
    response = client.post("/language/", {"language": language, "next": "/accounts/login/"})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                      "/\\evil.example"])
def test_it_never_sends_a_person_off_the_console(client, next_url):
    response = client.post("/language/", {"language": "zh-hans", "next": next_url})
    assert response["Location"] == "/"


def test_it_refuses_a_switch_from_another_site(db):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/language/", {"language": "zh-hans"}).status_code == 403


def test_your_settings_saves_a_time_zone_and_times_follow_it(as_viewer, users):
    response = as_viewer.post("/settings/", {"language": "zh-hans", "time_zone": "Asia/Shanghai"}, follow=True)
    page = response.content.decode()
    assert "您的设置已保存。" in page
    assert Preferences.objects.get(user=users["viewer"]).time_zone == "Asia/Shanghai"
    from django.utils import timezone

    assert timezone.get_current_timezone_name() == "Asia/Shanghai"  # the last request's zone, still active


def test_your_settings_refuses_a_zone_that_does_not_exist(as_viewer, users):
    page = as_viewer.post("/settings/", {"language": "", "time_zone": "Mars/Olympus"}).content.decode()
    assert "Mars/Olympus" in page and not Preferences.objects.filter(time_zone="Mars/Olympus").exists()


def test_the_scripts_catalog_speaks_the_language_of_its_address(client, db):
    chinese = client.get("/jsi18n/zh-hans/")
    assert chinese.status_code == 200 and chinese["Content-Type"].startswith("text/javascript")
    assert "max-age=86400" in chinese["Cache-Control"]
    assert client.get("/jsi18n/en/").status_code == 200
    assert client.get("/jsi18n/xx/").status_code == 404


def test_a_catalog_is_all_a_new_language_needs(tmp_path):
    from console.i18n.catalogs import catalog_languages

    for locale in ("zh_Hans", "fr", "pt_BR"):
        (tmp_path / locale / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / locale / "LC_MESSAGES" / "django.po").write_text("")
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)  # a directory without a catalog is no language
    assert catalog_languages(tmp_path) == [("fr", "French"), ("pt-br", "Brazilian Portuguese"),
                                           ("zh-hans", "Simplified Chinese")]
    assert ("zh-hans", "Simplified Chinese") in settings.LANGUAGES


def test_pages_ask_for_the_scripts_catalog_at_an_address_that_changes_with_the_catalogs(as_viewer, client, settings,
                                                                                         tmp_path):
    from console.templatetags import languages

    page = as_viewer.get("/", **ZH).content.decode()
    version = languages.catalog_version()
    assert f'<script src="/jsi18n/zh-hans/?v={version}"></script>' in page
    assert f'<script src="/jsi18n/zh-hans/?v={version}"></script>' in client.get("/s/nothing/", **ZH).content.decode()

    changed = tmp_path / "zh_Hans" / "LC_MESSAGES"
    changed.mkdir(parents=True)
    (changed / "djangojs.po").write_text('msgid "Cancel"\nmsgstr "取消了"\n')
    settings.LOCALE_PATHS = [tmp_path]
    languages.catalog_version.cache_clear()
    try:
        assert languages.catalog_version() != version
    finally:
        languages.catalog_version.cache_clear()
