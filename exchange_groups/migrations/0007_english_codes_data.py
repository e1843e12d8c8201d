"""Stored codes in English, step 2 of 3: the rows (and the revisions of good-practice pages) get the English codes.

The maps are written out here (not read from the models) so that this migration keeps meaning the same thing
whatever the models say later. Backwards, every English code goes back to its Polish one.
"""

from django.db import migrations

from oswiata_kit.recoding import inverted, recode_field, recode_list_field, recode_revisions

QUESTIONNAIRE_KIND = {"diagnoza": "diagnosis", "ewaluacja": "evaluation"}
QUESTIONNAIRE_STATUS = {"szkic": "draft", "otwarta": "open", "zamknieta": "closed"}
WORK_PLAN_ITEM_KIND = {"spotkanie": "meeting", "zadanie": "online_task", "material": "material"}
RESOURCE_KIND = {"plik": "file", "link": "link"}
MEETING_MODE = {"stacjonarne": "in_person", "online": "online"}
MEETING_STATUS = {"zaplanowane": "scheduled", "odwolane": "cancelled"}
REGISTRATION_STATUS = {"zapisany": "registered", "rezerwowa": "waiting", "wycofany": "cancelled"}
ATTENDANCE = {"nieznana": "unknown", "obecny": "present", "usprawiedliwiony": "excused", "nieobecny": "absent"}
UNIT_KIND = {
    "wojewodztwo": "voivodeship",
    "powiat": "powiat",
    "miasto_npp": "city_with_powiat_rights",
    "gmina_miejska": "urban_gmina",
    "gmina_wiejska": "rural_gmina",
    "gmina_miejsko_wiejska": "urban_rural_gmina",
}
POSITION_CATEGORY = {
    "decydent": "decision_maker",
    "oswiata": "education_department",
    "finanse": "finance",
    "szkola": "school_administration",
    "radny": "councillor",
    "partner": "social_partner",
}
PRACTICE_SOURCE = {"ore": "ore", "zmp": "zmp", "siec": "network", "zgloszenie": "member"}
SPACE_KIND = {"siec": "network", "gwd": "exchange_group", "liderzy": "leaders"}
SPACE_STATUS = {"rekrutacja": "recruiting", "aktywna": "active", "zamknieta": "closed", "archiwum": "archived"}
SPACE_VISIBILITY = {"publiczna": "public", "prywatna": "private"}
SPACE_ROLE = {"uczestnik": "participant", "moderator": "moderator", "koordynator": "coordinator", "ekspert": "expert"}

#: (model, field, map) of every column that stores one of the codes.
FIELDS = [
    ("Space", "kind", SPACE_KIND),
    ("Space", "status", SPACE_STATUS),
    ("Space", "visibility", SPACE_VISIBILITY),
    ("Membership", "role", SPACE_ROLE),
    ("MembershipEvent", "role", SPACE_ROLE),
    ("MembershipEvent", "previous_role", SPACE_ROLE),
    ("Invitation", "role", SPACE_ROLE),
    ("TerritorialUnit", "kind", UNIT_KIND),
    ("Profile", "position_category", POSITION_CATEGORY),
    ("Meeting", "mode", MEETING_MODE),
    ("Meeting", "status", MEETING_STATUS),
    ("Registration", "status", REGISTRATION_STATUS),
    ("Registration", "attendance", ATTENDANCE),
    ("Questionnaire", "kind", QUESTIONNAIRE_KIND),
    ("Questionnaire", "status", QUESTIONNAIRE_STATUS),
    ("WorkPlanItem", "kind", WORK_PLAN_ITEM_KIND),
    ("Resource", "kind", RESOURCE_KIND),
    ("GoodPracticePage", "unit_kind", UNIT_KIND),
    ("GoodPracticePage", "source", PRACTICE_SOURCE),
]
#: (model, JSON field holding a list of codes, map).
LIST_FIELDS = [("Space", "audience", UNIT_KIND)]
#: What the stored revisions of a good-practice page hold.
PRACTICE_REVISION_FIELDS = {"unit_kind": UNIT_KIND, "source": PRACTICE_SOURCE}


def _recode(apps, flip):
    for model_name, field, codes in FIELDS:
        recode_field(apps.get_model("exchange_groups", model_name), field, flip(codes))
    for model_name, field, codes in LIST_FIELDS:
        recode_list_field(apps.get_model("exchange_groups", model_name), field, flip(codes))
    recode_revisions(
        apps,
        "exchange_groups",
        "goodpracticepage",
        fields={key: flip(codes) for key, codes in PRACTICE_REVISION_FIELDS.items()},
    )


def forwards(apps, schema_editor):
    _recode(apps, dict)


def backwards(apps, schema_editor):
    _recode(apps, inverted)


class Migration(migrations.Migration):

    dependencies = [
        ("exchange_groups", "0006_english_codes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
