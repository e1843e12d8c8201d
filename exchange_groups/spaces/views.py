"""Pages of the spaces: the list, a space's description, its member directory, joining and leaving,
the coordinators' management pages, invitations and "Moje przestrzenie".

Privacy: every view of a space is a `space_view` (spaces/shortcuts.py), which starts with
`get_space_or_404`, so a person who may not see a private space gets 404 for every URL and method (never
403, never a login redirect). Member-only parts of a public space send anonymous visitors to the login
page and show other people a "members only" page; the managing pages show everybody else a "coordinators
only" page (both through the site's 403 handler). State changes are POST only (`post_only` under the
decorator, so that the 404 comes first); the services in `spaces/services.py` do the work, called through
`call_service` (a refused rule becomes a form error or a message).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange_groups.models import (
    SPACE_ROLE_ORDER,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipEvent,
    SpaceRole,
)
from exchange_groups.spaces import services
from exchange_groups.spaces.forms import AddMemberForm, InviteForm, JoinRequestForm, ReasonForm, RoleForm
from exchange_groups.spaces.permissions import (
    can_request_to_join,
    check_can_manage_members,
    is_site_admin,
    role_in,
    spaces_visible_to,
)
from exchange_groups.spaces.shortcuts import MEMBER, PERSON, form_data, space_context, space_view
from oswiata_kit.views import call_service, post_only, submit_form

HISTORY_PER_PAGE = 50


# --- helpers ---------------------------------------------------------------------------------------

COORDINATORS_ONLY = "exchange_groups/spaces/coordinators_only.html"
# Managing pages: one "coordinators only" page for everybody the check refuses, members or not.
managed_space = space_view(check_can_manage_members, refusal=COORDINATORS_ONLY, members_refusal=COORDINATORS_ONLY)


def _directory(space):
    role_order = Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(SPACE_ROLE_ORDER)],
        default=Value(len(SPACE_ROLE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.active()
        .filter(space=space)
        .select_related("user__profile__unit__voivodeship")
        .annotate(role_order=role_order)
        .order_by("role_order", "user__last_name", "user__first_name", "pk")
    )


def _manage_url(space) -> str:
    return reverse("exchange_groups:space_manage", kwargs={"slug": space.slug})


def _person_name(user) -> str:
    return user.get_full_name() or user.email


# --- public and member pages -----------------------------------------------------------------------


def space_list(request):
    """Spaces the person may see: public ones, and the private ones they belong to."""
    spaces = spaces_visible_to(request.user).order_by("kind", "name")
    return render(request, "exchange_groups/spaces/space_list.html", {"spaces": spaces})


@space_view()
def space_detail(request, space):
    context = space_context(request, space)
    user = request.user
    if user.is_authenticated and not context["is_member"]:
        requests = JoinRequest.objects.filter(space=space, user=user)
        context["pending_request"] = requests.filter(status=JoinRequestStatus.PENDING).first()
        if context["pending_request"] is None:
            context["declined_request"] = (
                requests.filter(status=JoinRequestStatus.DECLINED).order_by("-decided_at").first()
            )
    context["can_request"] = can_request_to_join(user, space)
    if context["can_see_members"]:
        context["member_count"] = Membership.objects.active().filter(space=space).count()
    return render(request, "exchange_groups/spaces/space_detail.html", context)


@space_view(MEMBER)
def space_members(request, space):
    context = space_context(request, space, members=_directory(space))
    return render(request, "exchange_groups/spaces/space_members.html", context)


@space_view(PERSON)
def space_join(request, space):
    context = space_context(request, space)
    if context["is_member"]:
        messages.info(request, _("You are already a member of this space."))
        return redirect(space)
    pending = JoinRequest.objects.filter(space=space, user=request.user, status=JoinRequestStatus.PENDING).first()
    if request.method == "POST" and pending is not None:
        messages.info(request, _("Your request is already waiting for a decision."))
        return redirect(space)
    form = JoinRequestForm(form_data(request))
    if done := submit_form(
        request,
        form,
        lambda data: services.request_to_join(request.user, space, data["message"]),
        success_message=_("Your request has been sent. The coordinators will decide on it."),
        redirect_to=space,
    ):
        return done
    context.update(form=form, pending_request=pending, can_request=can_request_to_join(request.user, space))
    return render(request, "exchange_groups/spaces/space_join.html", context)


@space_view(PERSON)
@post_only
def space_join_withdraw(request, space):
    pending = JoinRequest.objects.filter(space=space, user=request.user, status=JoinRequestStatus.PENDING).first()
    if pending is None:
        messages.info(request, _("You have no request waiting for a decision in this space."))
        return redirect(space)
    return call_service(
        request,
        services.withdraw_join_request,
        request.user,
        pending,
        success_message=_("Your request to join has been withdrawn."),
        redirect_to=space,
    )


@space_view(PERSON)
def space_leave(request, space):
    context = space_context(request, space)
    if not context["is_member"]:
        messages.info(request, _("You are not a member of this space."))
        return redirect(space)
    if request.method == "POST":
        try:
            services.leave_space(request.user, space)
        except services.MembershipError as error:
            messages.error(request, error.message)
            return redirect(space)
        messages.success(request, _("You have left “%(space)s”.") % {"space": space.name})
        # A private space disappears for the person who left it.
        return redirect("exchange_groups:my_spaces")
    return render(request, "exchange_groups/spaces/space_leave.html", context)


# --- management (coordinators and site administrators) ---------------------------------------------


@managed_space
def space_manage(request, space):
    members = list(_directory(space))
    pending = (
        JoinRequest.objects.filter(space=space, status=JoinRequestStatus.PENDING)
        .select_related("user__profile__unit__voivodeship", "user__profile__unit__parent")
        .order_by("created_at", "pk")
    )
    invitations = (
        Invitation.objects.filter(space=space, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("expires_at", "pk")
    )
    for member in members:
        member.role_form = RoleForm(initial={"role": member.role}, auto_id=f"id_%s_{member.pk}")
    context = space_context(
        request,
        space,
        members=members,
        pending_requests=pending,
        invitations=invitations,
        invite_form=InviteForm(auto_id="id_invite_%s"),
        add_form=AddMemberForm(auto_id="id_add_%s"),
        recent_events=MembershipEvent.objects.filter(space=space).select_related("user", "actor")[:10],
    )
    return render(request, "exchange_groups/spaces/manage.html", context)


@managed_space
@post_only
def manage_request_accept(request, space, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("user"), pk=pk, space=space)
    return call_service(
        request,
        services.accept_join_request,
        request.user,
        join_request,
        success_message=_("%(name)s is now a member of the space.") % {"name": _person_name(join_request.user)},
        redirect_to=_manage_url(space),
    )


@managed_space
def manage_request_decline(request, space, pk):
    join_request = get_object_or_404(JoinRequest.objects.select_related("user"), pk=pk, space=space)
    if not join_request.is_pending:
        messages.info(request, _("This request has already been decided or withdrawn."))
        return redirect(_manage_url(space))
    form = ReasonForm(form_data(request))
    if done := submit_form(
        request,
        form,
        lambda data: services.decline_join_request(request.user, join_request, data["reason"]),
        success_message=_("The request of %(name)s has been declined.") % {"name": _person_name(join_request.user)},
        redirect_to=_manage_url(space),
    ):
        return done
    context = space_context(request, space, form=form, join_request=join_request)
    return render(request, "exchange_groups/spaces/manage_decline.html", context)


@managed_space
def manage_invite(request, space):
    form = InviteForm(form_data(request), auto_id="id_invite_%s")
    if done := submit_form(
        request,
        form,
        lambda data: services.invite_to_space(request.user, space, data["email"], data["role"]),
        error_field="email",
        success_message=lambda invitation: (
            _("The invitation has been sent to %(email)s.") % {"email": invitation.email}
        ),
        redirect_to=_manage_url(space),
    ):
        return done
    context = space_context(request, space, form=form)
    return render(request, "exchange_groups/spaces/manage_invite.html", context)


@managed_space
@post_only
def manage_invitation_revoke(request, space, pk):
    invitation = get_object_or_404(Invitation, pk=pk, space=space)
    return call_service(
        request,
        services.revoke_invitation,
        request.user,
        invitation,
        success_message=_("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        redirect_to=_manage_url(space),
    )


@managed_space
def manage_add(request, space):
    form = AddMemberForm(form_data(request), auto_id="id_add_%s")
    if done := submit_form(
        request,
        form,
        lambda data: services.add_member(request.user, space, form.person, data["role"]),
        error_field="email",
        success_message=lambda _membership: (
            _("%(name)s has been added to the space.") % {"name": _person_name(form.person)}
        ),
        redirect_to=_manage_url(space),
    ):
        return done
    context = space_context(request, space, form=form)
    return render(request, "exchange_groups/spaces/manage_add.html", context)


@managed_space
def manage_member_role(request, space, pk):
    member = get_object_or_404(Membership.objects.select_related("user"), pk=pk, space=space, until__isnull=True)
    form = RoleForm(form_data(request), initial={"role": member.role}, auto_id=f"id_%s_{member.pk}")
    if done := submit_form(
        request,
        form,
        lambda data: services.change_role(request.user, member, data["role"]),
        error_field="role",
        success_message=lambda _membership: (
            _("The role of %(name)s is now: %(role)s.")
            % {"name": _person_name(member.user), "role": SpaceRole(form.cleaned_data["role"]).label}
        ),
        redirect_to=_manage_url(space),
    ):
        return done
    context = space_context(request, space, form=form, member=member)
    return render(request, "exchange_groups/spaces/manage_role.html", context)


@managed_space
def manage_member_remove(request, space, pk):
    member = Membership.objects.select_related("user").filter(pk=pk, space=space).first()
    if member is None:
        raise Http404
    if not member.is_active:
        messages.info(request, _("This person is no longer a member of the space."))
        return redirect(_manage_url(space))
    form = ReasonForm(form_data(request))
    if done := submit_form(
        request,
        form,
        lambda data: services.remove_member(request.user, member, data["reason"]),
        success_message=_("%(name)s has been removed from the space.") % {"name": _person_name(member.user)},
        redirect_to=_manage_url(space),
    ):
        return done
    context = space_context(request, space, form=form, member=member)
    return render(request, "exchange_groups/spaces/manage_remove.html", context)


@managed_space
def manage_history(request, space):
    events = MembershipEvent.objects.filter(space=space).select_related("user", "actor")
    page = Paginator(events, HISTORY_PER_PAGE).get_page(request.GET.get("strona"))
    context = space_context(request, space, page=page, events=page.object_list)
    return render(request, "exchange_groups/spaces/manage_history.html", context)


# --- invitations -----------------------------------------------------------------------------------


def invitation(request, token):
    """Whoever holds the link sees which space it invites to; accepting needs the invited address."""
    found = services.find_invitation(token)
    if found is None:
        raise Http404(_("This invitation link is not valid."))
    space = found.space
    problem = None
    try:
        services.check_invitation_usable(found)
    except services.MembershipError as error:
        problem = error
    if problem is not None:
        if (
            problem.code == "used"
            and request.user.is_authenticated
            and found.accepted_by_id == request.user.pk
            and role_in(request.user, space)
        ):
            messages.info(request, _("You have already accepted this invitation."))
            return redirect(space)
        return render(
            request, "exchange_groups/spaces/invitation.html", {"invitation": found, "problem": problem}, status=410
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.accept_invitation(request.user, token)
        except services.MembershipError as error:
            if error.code == "already_member":
                messages.info(request, error.message)
                return redirect(space)
            problem = error
        else:
            messages.success(request, _("Welcome to “%(space)s”.") % {"space": space.name})
            return redirect(space)
    elif request.user.is_authenticated:
        try:
            services.check_invitation_addressee(request.user, found)
        except services.MembershipError as error:
            problem = error
    status = 400 if problem is not None and request.method == "POST" else 200
    context = {"invitation": found, "problem": problem, "space": space}
    return render(request, "exchange_groups/spaces/invitation.html", context, status=status)


# --- "Moje przestrzenie" ---------------------------------------------------------------------------


@login_required
def my_spaces(request):
    user = request.user
    memberships = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("space")
        .annotate(
            pending_count=Count(
                "space__join_requests",
                filter=Q(space__join_requests__status=JoinRequestStatus.PENDING),
                distinct=True,
            )
        )
        .order_by("space__kind", "space__name")
    )
    visible = spaces_visible_to(user)
    requests = JoinRequest.objects.filter(user=user, space__in=visible).select_related("space")
    pending = requests.filter(status=JoinRequestStatus.PENDING).order_by("-created_at")
    # A declined request stays in view until the person joins or asks again.
    declined = (
        requests.filter(status=JoinRequestStatus.DECLINED)
        .exclude(space_id__in=Membership.objects.active().filter(user=user).values("space_id"))
        .exclude(space_id__in=pending.values("space_id"))
        .order_by("-decided_at")[:10]
    )
    context = {
        "memberships": memberships,
        "pending_requests": pending,
        "declined_requests": declined,
        "coordinator_role": SpaceRole.COORDINATOR,
        "is_site_admin": is_site_admin(user),
    }
    return render(request, "exchange_groups/spaces/my_spaces.html", context)
