"""@mentions: every person has a handle made from their name, unique and case-blind.

The syntax is `@` followed by the handle: `@Anna.Nowak` (first name, dot, last name, Polish letters folded
to ASCII, spaces and other punctuation dropped). When the handle is already taken the person's id is added:
`@Anna.Nowak.17`. A person without a name gets `@osoba.<id>`. The autocomplete (`mentions.js`) inserts the
handle, so nobody has to type it exactly. A mention counts only when the handle belongs to somebody who may
read the forum; anything else stays plain text.
"""

import re

from anyascii import anyascii
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from exchange_groups.models import Membership, fold

from .models import Forum, ForumProfile
from .permissions import can_read_forum

_NOT_HANDLE = re.compile(r"[^A-Za-z0-9]+")
AUTOCOMPLETE_LIMIT = 10


def _base_handle(user) -> str:
    parts = [_NOT_HANDLE.sub("", anyascii(user.first_name or "")), _NOT_HANDLE.sub("", anyascii(user.last_name or ""))]
    parts = [p for p in parts if p]
    return ".".join(parts)[:60] or f"osoba.{user.pk}"


def handle_of(user) -> str:
    """The person's handle, made (and stored) on first use."""
    profile = ForumProfile.objects.filter(user_id=user.pk).first()
    if profile is not None:
        return profile.handle
    base = _base_handle(user)
    for candidate in (base, f"{base}.{user.pk}"):
        try:
            with transaction.atomic():
                return ForumProfile.objects.create(user=user, handle=candidate).handle
        except IntegrityError:
            existing = ForumProfile.objects.filter(user_id=user.pk).first()
            if existing is not None:  # made at the same moment by another request
                return existing.handle
    raise RuntimeError(f"no free mention handle for user {user.pk}")  # pragma: no cover - ids are unique


def _readers_query(forum: Forum):
    User = get_user_model()
    people = User.objects.filter(is_active=True)
    if forum.is_site_wide:
        return people
    members = Membership.objects.filter(space_id=forum.space_id, until__isnull=True).values("user_id")
    return people.filter(pk__in=members)


def ensure_handles(forum: Forum) -> None:
    """Give every member of a space's forum a handle (small sets: a space has tens of members)."""
    if forum.is_site_wide:
        return
    without = _readers_query(forum).filter(forum_profile__isnull=True)
    for user in without:
        handle_of(user)


def resolver_for(forum: Forum):
    """A function handle → User (a reader of the forum) or None, for `sanitize.render`."""
    User = get_user_model()
    cache: dict[str, object] = {}
    prepared = False

    def resolve(handle: str):
        nonlocal prepared
        key = handle.casefold()
        if key in cache:
            return cache[key]
        if not prepared:
            ensure_handles(forum)
            prepared = True
        user = User.objects.filter(forum_profile__handle_key=key, is_active=True).first()
        if user is not None and not can_read_forum(user, forum):
            user = None
        cache[key] = user
        return user

    return resolve


def autocomplete(forum: Forum, query: str) -> list[dict]:
    """Readers of the forum whose first name, last name or handle starts with the words typed:
    [{"handle", "name"}], at most AUTOCOMPLETE_LIMIT. In a space's forum: its active members; in the
    nationwide forum: people who have written there."""
    words = [w for w in (query or "").lower().replace(".", " ").split() if w][:3]
    if not words:
        return []
    ensure_handles(forum)
    people = _readers_query(forum)
    if forum.is_site_wide:
        # Everybody may read the nationwide forum, but it is not a directory of all accounts: suggest only
        # people who have written in it.
        people = people.filter(forum_posts__topic__category__forum=forum)
    for word in words:
        folded = _NOT_HANDLE.sub("", fold(word))
        match = Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
        if folded:
            match |= Q(forum_profile__handle_key__startswith=folded) | Q(
                forum_profile__handle_key__contains="." + folded
            )
        people = people.filter(match)
    results = []
    for user in people.distinct().order_by("last_name", "first_name")[:AUTOCOMPLETE_LIMIT]:
        handle = handle_of(user)
        results.append({"handle": handle, "name": user.get_full_name() or handle})
    return results
