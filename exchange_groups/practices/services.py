"""The good-practice base: members' submissions and the review workflow (the public listing is built in
`exchange_groups.practices.pages`).

- `submit_practice` turns a member's form into a DRAFT GoodPracticePage under the index (owner = the
  person, source = "submitted by a member"), saves a revision and starts the page's Wagtail workflow.
  It never publishes: the editors approve it in the admin.
- `ensure_good_practice_workflow` creates (idempotently) the workflow "Recenzja dobrej praktyki" with one
  group approval task for the editors ("Redaktor ZMP") and administrators, and assigns it to the index.
"""

import uuid

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from exchange_groups.conf import exchange_groups_settings
from exchange_groups.models import (
    GoodPracticeIndexPage,
    GoodPracticePage,
    PracticeSource,
    TerritorialUnit,
    fold,
)
from exchange_groups.models.practices import RESERVED_SLUGS
from exchange_groups.practices.permissions import check_can_submit_practice
from oswiata_kit.errors import RuleError

WORKFLOW_NAME = "Recenzja dobrej praktyki"
TASK_NAME = "Recenzja redakcji ZMP"

# Fields a member writes as plain text; stored as rich text (escaped paragraphs).
SUBMISSION_TEXT_FIELDS = (
    "local_context",
    "problem",
    "solution",
    "who_did_what",
    "effects",
    "cost",
    "why_promote",
    "replication_advice",
)
SUBMISSION_PLAIN_FIELDS = ("summary", "contact_name", "contact_role", "contact_email", "contact_phone")


class PracticeError(RuleError):
    """A rule of the good practices was broken (see `oswiata_kit.errors.RuleError`)."""


# --- workflow --------------------------------------------------------------------------------------


def reviewer_group_names() -> tuple[str, ...]:
    return exchange_groups_settings.PRACTICE_REVIEWER_GROUPS


@transaction.atomic
def ensure_good_practice_workflow(index: GoodPracticeIndexPage | None = None) -> Workflow:
    """The review workflow, its editors' task, and its assignment to the index page(s). Idempotent."""
    groups = [Group.objects.get_or_create(name=name)[0] for name in reviewer_group_names()]
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(*groups)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count())
    indexes = [index] if index is not None else list(GoodPracticeIndexPage.objects.all())
    for page in indexes:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def get_index_page() -> GoodPracticeIndexPage | None:
    return GoodPracticeIndexPage.objects.order_by("path").first()


INDEX_INTRO = (
    "<p>Rozwiązania samorządów, które warto znać: opisy przygotowane przez Ośrodek Rozwoju Edukacji, Związek "
    "Miast Polskich i uczestników sieci współpracy. Każdy opis pokazuje lokalny kontekst, problem, rozwiązanie, "
    "efekty i koszty oraz rady dla samorządów, które chcą je powtórzyć.</p>"
)


@transaction.atomic
def ensure_good_practice_index(
    parent=None, *, title: str = "Baza dobrych praktyk", slug: str = "dobre-praktyki"
) -> GoodPracticeIndexPage:
    """The index page (published) under `parent` (default: the default site's root page), and its workflow."""
    from wagtail.models import Site

    index = get_index_page()
    if index is None:
        if parent is None:
            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            if site is None:
                raise PracticeError(_("There is no default site to put the good-practice base under."), "no_site")
            parent = site.root_page
        index = GoodPracticeIndexPage(title=title, slug=slug, intro=INDEX_INTRO, show_in_menus=True)
        parent.add_child(instance=index)
        index.save_revision().publish()
    ensure_good_practice_workflow(index)
    return index


# --- submissions -----------------------------------------------------------------------------------


def text_to_html(text: str) -> str:
    """Plain text (paragraphs separated by blank lines) as safe rich text."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br/>')}</p>" for p in paragraphs if p)


def _existing_submission(user, key):
    if not key:
        return None
    return GoodPracticePage.objects.filter(submission_key=key, owner=user).first()


def submit_practice(
    user,
    *,
    title: str,
    unit: TerritorialUnit,
    themes=(),
    period_start: str = "",
    period_end: str = "",
    source_space=None,
    submission_key=None,
    index: GoodPracticeIndexPage | None = None,
    **texts,
) -> GoodPracticePage:
    """Create a draft practice owned by the person and start its review. Never publishes.

    `texts` holds the plain-text sections (SUBMISSION_TEXT_FIELDS) and SUBMISSION_PLAIN_FIELDS.
    A repeated submission with the same key returns the page the first one made.
    """
    check_can_submit_practice(user)
    existing = _existing_submission(user, submission_key)
    if existing is not None:
        return existing
    index = index or get_index_page()
    if index is None:
        raise PracticeError(_("The good-practice base is not available yet."), "no_index")
    unknown = set(texts) - set(SUBMISSION_TEXT_FIELDS) - set(SUBMISSION_PLAIN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    page = GoodPracticePage(
        title=" ".join((title or "").split()),
        unit=unit,
        period_start=(period_start or "").strip(),
        period_end=(period_end or "").strip(),
        source=PracticeSource.MEMBER,
        source_space=source_space,
        owner=user,
        live=False,
        submission_key=submission_key or None,
    )
    for name in SUBMISSION_TEXT_FIELDS:
        setattr(page, name, text_to_html(texts.get(name, "")))
    for name in SUBMISSION_PLAIN_FIELDS:
        setattr(page, name, (texts.get(name) or "").strip())
    page.slug = _free_slug(index, page.title)
    try:
        with transaction.atomic():
            page.themes.set(list(themes))
            index.add_child(instance=page)
            page.save_revision(user=user, log_action=True)
            workflow = page.get_workflow() or ensure_good_practice_workflow(index)
            workflow.start(page, user)
    except IntegrityError:
        existing = _existing_submission(user, submission_key)
        if existing is not None:
            return existing
        raise
    return page


def _free_slug(index, title: str) -> str:
    from django.utils.text import slugify
    from wagtail.coreutils import cautious_slugify

    base = (slugify(fold(title)) or cautious_slugify(title) or "dobra-praktyka")[:70].strip("-")
    if base in RESERVED_SLUGS:
        base = f"{base}-praktyka"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _latest_workflow_state(page: GoodPracticePage) -> WorkflowState | None:
    return (
        WorkflowState.objects.filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))
        .order_by("-created_at", "-pk")
        .first()
    )


def submission_status(page: GoodPracticePage, state: WorkflowState | None = None) -> tuple[str, str]:
    """(code, label) of a member's submission: published, in review, returned for changes, or not published."""
    if page.live:
        return "published", _("published")
    state = state or _latest_workflow_state(page)
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "in_review", _("awaiting review by the editors")
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "needs_changes", _("returned for changes — the editors will contact you")
    if state is not None and state.status == WorkflowState.STATUS_APPROVED:
        return "approved", _("approved, not published yet")
    return "closed", _("not published")


def submissions_of(user) -> list[GoodPracticePage]:
    """The person's submissions, newest first, each with `status_code`, `status_label` and `sent_at`."""
    pages = list(
        GoodPracticePage.objects.filter(owner=user, source=PracticeSource.MEMBER)
        .select_related("unit__voivodeship")
        .order_by("-pk")
    )
    for page in pages:
        first_state = (
            WorkflowState.objects.filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))
            .order_by("created_at", "pk")
            .first()
        )
        page.status_code, page.status_label = submission_status(page)
        page.sent_at = first_state.created_at if first_state else page.latest_revision_created_at
    return pages


def new_submission_key() -> str:
    return uuid.uuid4().hex
