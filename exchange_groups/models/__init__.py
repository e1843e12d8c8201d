"""Models of exchange_groups, one module per area; everything is re-exported here.

people    User, TerritorialUnit (TERYT register), Profile, Consent
spaces    Space, Membership and its history, JoinRequest, Invitation
cycle     Questionnaire (diagnosis, evaluation) with questions and responses; WorkPlan and its items
meetings  Meeting, MeetingMaterial, Registration (waiting list, attendance), CalendarFeed
library   Resource (a space's files and links) with its own tags
practices GoodPracticeIndexPage, GoodPracticePage (Wagtail) with themes
"""

from .cycle import *  # noqa: F403
from .library import *  # noqa: F403
from .meetings import *  # noqa: F403
from .people import *  # noqa: F403
from .practices import *  # noqa: F403
from .spaces import *  # noqa: F403
