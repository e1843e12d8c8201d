"""One way to make a full address for e-mails, PDFs and calendar files."""

import pytest

from oswiata_kit.urls import absolute_url


@pytest.mark.parametrize("base", ["https://oswiata.example.pl", "https://oswiata.example.pl/"])
@pytest.mark.parametrize("path", ["/przestrzenie/siec/", "przestrzenie/siec/"])
def test_absolute_url_puts_the_site_address_before_the_path(settings, base, path):
    settings.SITE_BASE_URL = base
    assert absolute_url(path) == "https://oswiata.example.pl/przestrzenie/siec/"


def test_absolute_url_keeps_a_site_under_a_folder(settings):
    settings.SITE_BASE_URL = "https://gmina.example.pl/oswiata/"
    assert absolute_url("/nauka/") == "https://gmina.example.pl/oswiata/nauka/"


@pytest.mark.parametrize("url", ["https://www.youtube.com/watch?v=abc", "http://other.example/x", "mailto:a@b.pl"])
def test_absolute_url_leaves_a_full_address_alone(settings, url):
    settings.SITE_BASE_URL = "https://oswiata.example.pl"
    assert absolute_url(url) == url


def test_absolute_url_without_a_site_address_stays_relative(settings):
    settings.SITE_BASE_URL = ""
    assert absolute_url("/nauka/") == "/nauka/"
    del settings.SITE_BASE_URL
    assert absolute_url("nauka/") == "/nauka/"


def test_absolute_url_of_nothing_is_the_home_page(settings):
    settings.SITE_BASE_URL = "https://oswiata.example.pl"
    assert absolute_url("") == "https://oswiata.example.pl/"
