"""The coordinators' workplace in the Django admin: every admin of programme data and of people, each
limited to the viewer's programmes (coordination.scoping). Registered here, once."""

from . import announcements, checkins, conversations, guides, meetings, people, programmes, records  # noqa: F401 - each registers its admins
