from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from exchange_groups.practices.services import WORKFLOW_NAME, ensure_good_practice_index, ensure_good_practice_workflow


class Command(BaseCommand):
    help = (
        "Create the review workflow of the good-practice base (editors of ZMP and administrators approve "
        "members' submissions) and assign it to the index page. With --create-index, also create the index "
        "page under the default site's home page when there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--create-index", action="store_true", help="Create the index page if it is missing.")

    def handle(self, *args, **options):
        if options["create_index"]:
            index = ensure_good_practice_index()
            self.stdout.write(_("Good-practice base: %(url)s") % {"url": index.url_path})
        else:
            ensure_good_practice_workflow()
        self.stdout.write(_("Workflow in place: %(name)s") % {"name": WORKFLOW_NAME})
