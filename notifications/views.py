"""Pages of the notifications. No GET changes anything: opening a notification is a POST ("Open") that marks it
read and redirects to its target; the one-click unsubscribe link shows a confirmation form on GET and acts on
POST (also the RFC 8058 one-click POST of a mail client, which has no session and no CSRF token). An expired or
revoked link (see services) changes nothing and answers 410 with a page that says how to change the settings
after logging in; a forged or damaged one answers 400."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import PreferencesForm
from .models import EmailKind, Notification
from .texts import show

PER_PAGE = 20


def _own_or_404(user, pk) -> Notification:
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise Http404(_("No such notification."))
    return notification


@login_required
@require_GET
def notification_list(request):
    notifications = (
        Notification.objects.filter(recipient_id=request.user.pk)
        .annotate(
            unread_first=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("unread_first", "-created_at", "-pk")
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("strona"))
    shown = [show(request.user, n) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "items": shown, "unread": services.unread_count(request.user)},
    )


@login_required
@require_GET
@never_cache
def unread(request):
    """The unread count as JSON: the bell asks for it after (re)connecting its socket."""
    return JsonResponse({"unread": services.unread_count(request.user)})


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications have been marked as read."))
    return redirect("notifications:list")


@login_required
@require_GET
def notification_detail(request, pk):
    item = show(request.user, _own_or_404(request.user, pk))
    return render(request, "notifications/detail.html", {"item": item})


@login_required
@require_POST
def notification_open(request, pk):
    notification = _own_or_404(request.user, pk)
    services.mark_read(request.user, notification)
    item = show(request.user, notification)
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
        return redirect(item.url)
    return redirect("notifications:detail", pk=notification.pk)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST" and "revoke_unsubscribe_links" in request.POST:
        services.revoke_unsubscribe_links(request.user)
        messages.success(
            request,
            _(
                "Links to unsubscribe in the e-mails sent to you so far no longer work. "
                "New e-mails will carry new links."
            ),
        )
        return redirect("notifications:preferences")
    prefs = services.get_preferences(request.user)
    if request.method == "POST":
        form = PreferencesForm.for_preferences(prefs, data=request.POST)
        if form.is_valid():
            services.update_preferences(request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:preferences")
        messages.error(request, _("The settings have not been saved. Please correct the fields listed below."))
    else:
        form = PreferencesForm.for_preferences(prefs)
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "unsubscribe_link_days": services.unsubscribe_link_days()},
    )


def _kind_label(kind: str) -> str:
    if kind == EmailKind.MENTION:
        return _("e-mails about mentions of you")
    return _("e-mail summaries of what is new")


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" without a session or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    link = services.check_unsubscribe_token(token)
    if link.state in (services.LinkState.EXPIRED, services.LinkState.REVOKED):
        context = {"expired": link.state == services.LinkState.EXPIRED}
        return render(request, "notifications/unsubscribe_expired.html", context, status=410)
    if not link.is_valid:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user, kind = link.user, link.kind
    context = {"kind_label": _kind_label(kind), "token": token}
    if request.method == "POST":
        services.unsubscribe(user, kind)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe.html", context)
