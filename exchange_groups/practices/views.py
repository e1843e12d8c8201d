"""A member's submission of a good practice, and "Moje zgłoszenia" (their submissions and their status).

The listing and the practice pages are Wagtail pages (`GoodPracticeIndexPage`, `GoodPracticePage`).
Submitting creates a draft page in code (never through the admin) and starts the review workflow.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exchange_groups.models import Membership, Profile, Space
from exchange_groups.practices import services
from exchange_groups.practices.forms import PracticeSubmissionForm
from exchange_groups.practices.permissions import can_submit_practice, check_can_submit_practice
from oswiata_kit.views import call_service, login_required, refusal_page


def _member_spaces(user):
    return Space.objects.filter(
        pk__in=Membership.objects.filter(user_id=user.pk, until__isnull=True).values("space_id")
    ).order_by("name")


def _initial(user) -> dict:
    profile = Profile.objects.select_related("unit").filter(user_id=user.pk).first()
    return {
        "unit": profile.unit if profile else None,
        "contact_name": user.get_full_name(),
        "contact_role": profile.job_title if profile else "",
        "contact_email": user.email,
        "submission_key": services.new_submission_key(),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def practice_submit(request):
    index = services.get_index_page()
    with refusal_page("exchange_groups/practices/profile_needed.html", index=index):
        check_can_submit_practice(request.user)
    if index is None:
        return render(request, "exchange_groups/practices/not_available.html", status=404)
    spaces = _member_spaces(request.user)
    if request.method == "POST":
        form = PracticeSubmissionForm(request.POST, spaces=spaces)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("publication_consent")
            done = call_service(
                request,
                services.submit_practice,
                request.user,
                index=index,
                themes=data.pop("themes", None) or (),
                source_space=data.pop("source_space", None),
                **data,
                on_error=form,
                success_message=lambda page: (
                    _("Thank you. “%(title)s” awaits review by the editors; you will find its status here.")
                    % {"title": page.title}
                ),
                redirect_to="exchange_groups:my_practice_submissions",
            )
            if done:
                return done
    else:
        form = PracticeSubmissionForm(initial=_initial(request.user), spaces=spaces)
    return render(request, "exchange_groups/practices/submit.html", {"form": form, "index": index})


@login_required
@require_http_methods(["GET", "HEAD"])
def my_practice_submissions(request):
    context = {
        "submissions": services.submissions_of(request.user),
        "index": services.get_index_page(),
        "can_submit": can_submit_practice(request.user),
    }
    return render(request, "exchange_groups/practices/my_submissions.html", context)
