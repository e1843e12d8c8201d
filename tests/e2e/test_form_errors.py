"""Form errors are announced and linked to their fields, on every kind of form people fill.

For each form the main form of the page is sent with its text fields emptied and the browser's own
validation switched off (as a browser without it would send it). The page that comes back must:
- announce the problem (an element with role="alert", read at once by screen readers);
- mark each field in error with aria-invalid="true" and point it (aria-describedby) at a visible text that
  says what is wrong;
- link every entry of an error summary to its field (the link's target exists and can take the focus);
- and nothing was saved (the watched tables hold the same rows).
"""

import pytest
from django.urls import reverse

from tests.db_state import row_counts
from tests.e2e.conftest import describe_violations, new_page, run_axe, screenshot
from tests.e2e.matrix_world import session_cookie

pytestmark = pytest.mark.e2e

# (label, route, kwargs(world), persona)
FORMS = [
    ("registration", "exchange_groups:register", lambda w: {}, "anonymous"),
    ("login", "exchange_groups:login", lambda w: {}, "anonymous"),
    ("password-reset", "exchange_groups:password_reset", lambda w: {}, "anonymous"),
    ("profile", "exchange_groups:profile", lambda w: {}, "member"),
    ("password-change", "exchange_groups:password_change", lambda w: {}, "member"),
    ("good-practice-submission", "exchange_groups:practice_submit", lambda w: {}, "member"),
    (
        "new-topic",
        "forums:topic_new",
        lambda w: {"forum_id": w["forum"].pk, "category_slug": w["category"].slug},
        "member",
    ),
    # The reply form with JavaScript: once the live socket is open (the presence line shows), the reply is sent
    # over it and the error comes back on the page without a reload.
    ("reply", "forums:topic", lambda w: {"topic_id": w["topic"].pk}, "member", ".forum-live__presence:not(:empty)"),
    ("post-edit", "forums:post_edit", lambda w: {"topic_id": w["topic"].pk, "post_id": w["post"].pk}, "member"),
    ("hide-post", "forums:post_hide", lambda w: {"topic_id": w["topic"].pk, "post_id": w["post"].pk}, "moderator"),
    ("report-post", "forums:post_report", lambda w: {"topic_id": w["topic"].pk, "post_id": w["post"].pk}, "moderator"),
    ("meeting-create", "exchange_groups:meeting_create", lambda w: {"slug": w["private_space"].slug}, "coordinator"),
    ("resource-add", "exchange_groups:resource_add", lambda w: {"slug": w["private_space"].slug}, "member"),
    (
        "work-plan-item",
        "exchange_groups:cycle_work_plan_item_add",
        lambda w: {"slug": w["private_space"].slug},
        "coordinator",
    ),
    (
        "questionnaire-new",
        "exchange_groups:cycle_questionnaire_new",
        lambda w: {"slug": w["private_space"].slug},
        "coordinator",
    ),
    ("debate-summary", "debates:summary_edit", lambda w: {"debate_id": w["debate"].pk}, "moderator"),
    ("certificate-verification", "learning:verify", lambda w: {}, "anonymous"),
]

EMPTY_AND_SEND = """() => {
  // The page's main form: the first form that sends data (POST), else the first (GET) form, with text fields.
  const forms = [...document.querySelectorAll('main form[method=post], main form[method=POST]'),
                 ...document.querySelectorAll('main form')]
    .filter((form) => form.querySelector('textarea, input[type=text], input[type=email], input[type=password],'
                                        + ' input:not([type]), input[type=datetime-local], input[type=number]'));
  const form = forms[0];
  if (!form) return false;
  form.noValidate = true;
  for (const field of form.querySelectorAll('textarea, input')) {
    if (['hidden', 'submit', 'button', 'checkbox', 'radio', 'file'].includes(field.type)) continue;
    field.value = '';
  }
  const submit = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  submit ? submit.click() : form.requestSubmit();
  return true;
}"""

ERROR_STATE = """() => {
  // Only an error message counts (help text describes the field too, but says nothing about the error).
  const visibleError = (id) => {
    const el = document.getElementById(id);
    const isError = el && (/error/i.test(id) || el.closest('.errorlist, [role=alert], .error-summary'));
    return isError && el.offsetParent !== null ? el.textContent.trim() : '';
  };
  const invalid = [...document.querySelectorAll('[aria-invalid=true]')].map((field) => ({
    field: field.name || field.id,
    // A radio or checkbox group is described by its fieldset (read when the group is entered).
    described: [field, field.closest('fieldset')].filter(Boolean)
      .flatMap((el) => (el.getAttribute('aria-describedby') || '').split(/\\s+/)).filter(Boolean)
      .map(visibleError).filter(Boolean),
  }));
  const links = [...document.querySelectorAll('.error-summary a[href^="#"]')].map((link) => {
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    const focusable = target && (target.tabIndex >= 0 || target.matches('input, select, textarea, fieldset'));
    return {href: link.getAttribute('href'), ok: !!focusable};
  });
  return {alerts: document.querySelectorAll('[role=alert]').length, invalid, links};
}"""


def test_form_errors_are_announced_and_linked_to_their_fields(matrix_server, browser):
    world = matrix_server.world
    contexts, problems, checked = {}, [], 0
    try:
        for label, route, kwargs, persona, *ready in FORMS:
            if persona not in contexts:
                cookies = session_cookie(world, persona, matrix_server.url)
                contexts[persona] = new_page(browser, cookies=cookies)
            page = contexts[persona]
            url = reverse(route, kwargs=kwargs(world))
            assert page.goto(matrix_server.url + url).status == 200, f"{label}: {url}"
            if ready:
                page.wait_for_selector(ready[0])
            before = row_counts()
            page.evaluate("() => { window.formSentFromThisPage = true; }")
            assert page.evaluate(EMPTY_AND_SEND), f"{label}: no form with text fields on {url}"
            # Either the page is replaced by the server's answer, or a script shows the error in place.
            page.wait_for_function(
                "() => !window.formSentFromThisPage"
                " || [...document.querySelectorAll('[role=alert]')].some((el) => el.offsetParent !== null)",
            )
            page.wait_for_load_state()
            state = page.evaluate(ERROR_STATE)
            screenshot(page, f"form-errors-{label}")
            checked += 1
            if state["alerts"] == 0:
                problems.append(f"{label}: the error is not announced (no role=alert)")
            if not state["invalid"]:
                problems.append(f"{label}: no field is marked aria-invalid")
            for field in state["invalid"]:
                if not field["described"]:
                    problems.append(f"{label}: field {field['field']} is invalid but not described by a visible error")
            for link in state["links"]:
                if not link["ok"]:
                    problems.append(f"{label}: error summary link {link['href']} leads nowhere")
            violations = run_axe(page)
            if violations:
                problems.append(f"{label}: axe\n{describe_violations(violations)}")
            if row_counts() != before:
                problems.append(f"{label}: an empty form changed the database")
    finally:
        for page in contexts.values():
            page.context.close()
    assert checked == len(FORMS)
    assert not problems, "\n".join(problems)
