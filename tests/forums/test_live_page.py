"""The topic page carries what the live client needs, and works without it."""

import re

import pytest

from forums import services

pytestmark = pytest.mark.django_db


def test_live_page_topic_carries_socket_address_and_last_seq(client, world, topic):
    services.create_post(world["other"], topic, "Druga")
    client.force_login(world["author"])
    page = client.get(topic.get_absolute_url()).content.decode()
    box = re.search(r'<div class="forum-live"[^>]*>', page).group(0)
    assert f'data-live-socket="/ws/fora/watki/{topic.pk}/"' in box
    assert 'data-last-seq="2"' in box
    assert "hidden" in box.split()  # shown only by the script, once connected


def test_live_page_script_is_a_static_file_not_inline(client, world, topic):
    client.force_login(world["author"])
    page = client.get(topic.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert any("forums/js/live" in tag and "src=" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts)


def test_live_page_marks_whether_new_posts_belong_on_this_page(client, world, topic):
    for n in range(31):
        services.create_post(world["other"], topic, f"Wpis {n}")
    client.force_login(world["author"])
    first = client.get(topic.get_absolute_url()).content.decode()
    last = client.get(topic.get_absolute_url(), {"strona": 2}).content.decode()
    assert 'data-on-last-page="0"' in first
    assert 'data-on-last-page="1"' in last


def test_live_page_labels_are_in_polish(client, world, topic):
    client.force_login(world["author"])
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-label-hidden="Ten wpis został ukryty przez moderatora."' in page
