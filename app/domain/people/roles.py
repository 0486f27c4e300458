"""Who may do what. Each set names a thing staff do, in the product's words; every
`roles_required`, every staff menu and home-page line, and every domain check reads these.

Forum coordinators run surveys, consultations and events and code what people say; officers
keep the improvement plan and approve responses; administrators may do everything, and alone
manage staff accounts, the safeguarding phrases and the audit log.
"""

from ...models import Role

STAFF = tuple(Role)  # every signed-in staff member: home, inbox, reading responses
RESPONSE_WRITERS = (Role.COORDINATOR, Role.OFFICER, Role.ADMIN)  # draft, submit for approval
RESPONSE_APPROVERS = (Role.OFFICER, Role.ADMIN)  # approve, publish, return, change, withdraw
PLAN_KEEPERS = (Role.OFFICER, Role.ADMIN)  # areas of weakness, plan actions, outcome measures
# type in "Tell us" feedback given by phone, email, letter, in person or at an event
FEEDBACK_TAKERS = (Role.COORDINATOR, Role.OFFICER, Role.ADMIN)
CODERS = (Role.COORDINATOR, Role.ADMIN)  # code contributions, approve quotes, hand over cases
THEME_EDITORS = (Role.COORDINATOR, Role.ADMIN)
SURVEY_BUILDERS = (Role.COORDINATOR, Role.ADMIN)  # build, preview, enter paper responses, results
CONSULTATION_RUNNERS = (Role.COORDINATOR, Role.ADMIN)
MODERATORS = (Role.COORDINATOR, Role.ADMIN)  # consultation comments
EVENT_ORGANISERS = (Role.COORDINATOR, Role.ADMIN)
TRANSLATORS = (Role.COORDINATOR, Role.ADMIN)
# see, acknowledge, reply to and close individual cases
CASEWORKERS = (Role.COORDINATOR, Role.OFFICER, Role.ADMIN)
REPORT_READERS = (Role.COORDINATOR, Role.OFFICER, Role.ADMIN)  # the board report and its CSV
REPORT_PUBLISHERS = (Role.ADMIN,)  # publish a board report (frozen, public)
REACH_WATCHERS = (Role.COORDINATOR, Role.OFFICER, Role.ADMIN)  # who has been heard, and who not
# staff accounts, teams, safeguarding phrases, the audit log, reach baselines
ADMINISTRATORS = (Role.ADMIN,)
