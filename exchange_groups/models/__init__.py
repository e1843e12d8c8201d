"""Models of exchange_groups, one module per area; everything is re-exported here.

people    User, TerritorialUnit (TERYT register), Profile, Consent
spaces    Space, Membership and its history, JoinRequest, Invitation
"""

from .people import *  # noqa: F403
from .spaces import *  # noqa: F403
