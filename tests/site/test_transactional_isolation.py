"""Transactional tests leave the rows that migrations create (root page, roles) for the tests after them."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from oswiata_site.roles import SITE_ROLES


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transactional_test_can_flush_everything():
    Page.objects.filter(depth__gt=1).delete()
    assert Page.objects.filter(depth=1).exists()


@pytest.mark.django_db
def test_migrations_data_is_present_for_the_next_test():
    assert Page.get_first_root_node() is not None
    assert set(SITE_ROLES) <= set(Group.objects.values_list("name", flat=True))
