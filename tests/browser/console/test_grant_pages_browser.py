"""Grants and groups in Chromium, with the keyboard, on a phone-wide screen (390 px): nothing wider than it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User

from console.access import rules
from console.access.models import Grant
from tests.browser.conftest import signed_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def admin_page(page, users, live_server):
    page.set_viewport_size(PHONE)
    return signed_in(page, users["admin"], live_server)


def fits(page) -> bool:
    """Nothing on the page is wider than the screen (no sideways scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_admin_makes_a_group_adds_a_member_and_gives_it_a_folder_by_keyboard(admin_page, browser_connection,
                                                                              key_prefix, users):
    page = admin_page
    page.goto("/groups/")
    assert fits(page)
    page.get_by_label("Group name").fill("finance")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/groups/\d+/$"))
    assert fits(page)

    person = page.get_by_label("Add a person")
    person.select_option(label="outsider")
    person.focus()
    page.keyboard.press("Tab")  # to the form's button
    page.keyboard.press("Enter")
    page.get_by_role("link", name="outsider").wait_for()

    page.get_by_label("Connection").select_option("primary")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_label("Folder (optional)").fill(key_prefix + "team")
    page.get_by_label("Folder (optional)").press("Enter")
    page.get_by_text(f"the group finance now holds editor on {key_prefix}team/ on primary").wait_for()
    assert fits(page)
    outsider = User.objects.get(username="outsider")
    assert rules.role_on(outsider, "primary", key_prefix + "team/a.txt") == "editor"

    page.goto(f"/connections/primary/who/?folder={key_prefix}team/")
    row = page.get_by_role("row", name=re.compile(r"^outsider"))
    assert "editor" in row.inner_text() and "through the group finance" in row.inner_text()
    assert fits(page)


def test_a_grant_is_changed_and_removed_from_the_connection_page_on_a_phone(admin_page, browser_connection, users,
                                                                          key_prefix):
    page = admin_page
    team = Group.objects.create(name="ops")
    grant = Grant.objects.create(connection=browser_connection, group=team, role="viewer", prefix=key_prefix)
    Grant.objects.create(connection=browser_connection, group=team, role="viewer",
                         prefix=key_prefix + "QuarterlyReportsOfTheFinanceDepartmentFor2026/")
    page.goto("/connections/primary/access/")
    assert fits(page), "a long folder name wraps"
    where = f"{key_prefix} on primary"
    page.get_by_label(f"Role of the group ops on {where}").select_option("manager")
    page.get_by_role("button", name=f"Set the role of the group ops on {where}").click()
    page.get_by_text(f"the group ops now holds manager on {where}").wait_for()
    assert Grant.objects.get(pk=grant.pk).role == "manager"
    page.get_by_role("button", name=f"Remove the manager role of the group ops on {where}").click()
    page.get_by_text(f"the group ops no longer holds manager on {where}").wait_for()
    assert not Grant.objects.filter(pk=grant.pk).exists()


@pytest.mark.parametrize("path", ["/users/", "/tokens/", "/audit/", "/connections/"])
def test_the_pages_this_change_touched_fit_a_phone(admin_page, browser_connection, users, path):
    admin_page.goto(path)
    assert fits(admin_page), path
