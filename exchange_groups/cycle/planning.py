"""A network's yearly work plan: goals, themes and dated items, edited by its coordinators."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange_groups.cycle.permissions import check_can_manage_cycle
from exchange_groups.cycle.services import CycleError, _clean_text, _move, _renumber
from exchange_groups.models import (
    Space,
    WorkPlan,
    WorkPlanItem,
    WorkPlanItemKind,
)


def get_work_plan(space: Space, cycle: str | None = None) -> WorkPlan | None:
    return WorkPlan.objects.filter(space=space, cycle=cycle or space.cycle).first()


def _plan_for_update(actor, space: Space, cycle: str | None = None) -> WorkPlan:
    check_can_manage_cycle(actor, space)
    cycle = cycle or space.cycle
    plan, _created = WorkPlan.objects.get_or_create(space=space, cycle=cycle, defaults={"updated_by": actor})
    return WorkPlan.objects.select_for_update().get(pk=plan.pk)


def _touch(plan: WorkPlan, actor) -> None:
    plan.updated_by, plan.updated_at = actor, timezone.now()
    plan.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def update_work_plan(actor, space: Space, *, goals: str, themes: str, cycle: str | None = None) -> WorkPlan:
    plan = _plan_for_update(actor, space, cycle)
    for value in (goals, themes):
        if len((value or "").strip()) > 10000:
            raise CycleError(_("The text is too long: at most %(limit)s characters.") % {"limit": 10000}, "too_long")
    plan.goals, plan.themes = (goals or "").strip(), (themes or "").strip()
    plan.save(update_fields=["goals", "themes"])
    _touch(plan, actor)
    return plan


def _item_fields(kind, title, description, month, date, link) -> dict:
    if kind not in WorkPlanItemKind.values:
        raise CycleError(_("Choose what kind of item this is."), "kind")
    title = _clean_text(title, message=_("Give the item a title."), code="title", max_length=200)
    if date is not None:
        month = date.replace(day=1)
    elif month is not None:
        month = month.replace(day=1)
    return {
        "kind": kind,
        "title": title,
        "description": (description or "").strip(),
        "month": month,
        "date": date,
        "link": (link or "").strip(),
    }


@transaction.atomic
def add_work_plan_item(
    actor, space: Space, *, kind: str, title: str, description: str = "", month=None, date=None, link: str = ""
) -> WorkPlanItem:
    plan = _plan_for_update(actor, space)
    fields = _item_fields(kind, title, description, month, date, link)
    order = (plan.items.aggregate(top=Max("order"))["top"] or 0) + 1
    item = WorkPlanItem.objects.create(plan=plan, order=order, **fields)
    _touch(plan, actor)
    return item


@transaction.atomic
def update_work_plan_item(
    actor, item: WorkPlanItem, *, kind: str, title: str, description: str = "", month=None, date=None, link: str = ""
) -> WorkPlanItem:
    plan = _plan_for_update(actor, item.plan.space, item.plan.cycle)
    item = WorkPlanItem.objects.get(pk=item.pk, plan=plan)
    for name, value in _item_fields(kind, title, description, month, date, link).items():
        setattr(item, name, value)
    item.save()
    _touch(plan, actor)
    return item


@transaction.atomic
def remove_work_plan_item(actor, item: WorkPlanItem) -> None:
    plan = _plan_for_update(actor, item.plan.space, item.plan.cycle)
    WorkPlanItem.objects.filter(pk=item.pk, plan=plan).delete()
    _renumber(list(plan.items.order_by("order", "pk")))
    _touch(plan, actor)


@transaction.atomic
def move_work_plan_item(actor, item: WorkPlanItem, direction: str) -> None:
    plan = _plan_for_update(actor, item.plan.space, item.plan.cycle)
    _move(list(plan.items.order_by("order", "pk")), item, direction)
    _touch(plan, actor)
