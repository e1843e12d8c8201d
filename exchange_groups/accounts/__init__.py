"""People's accounts: registration, e-mail confirmation, login throttle, profile, consents, the account socket."""
