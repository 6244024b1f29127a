# lmp's pages in English. A key missing from another language falls back to
# the words here; a key missing here shows as itself, which the tests catch.

## The frame of every page
nav-dashboard = Dashboard
nav-org = Organisation
nav-bodies = Bodies
nav-teams = Teams
nav-my-teams = My teams
nav-training = Training
nav-scorecard = Scorecard
nav-health = Health
nav-trust = Trust
nav-eis = EIS
nav-staffing = Staffing
nav-changes = Changes
nav-people = People
nav-locals = Locals
nav-audit = Audit
nav-sign-ins = Sign-ins
nav-tokens = Tokens
nav-notices = Notices
sign-out = Sign out
breadcrumb = Breadcrumb
other-language = Español
other-language-name = Ver en español

## Signing in
sign-in-title = Sign in
sign-in-lead = The labor-management partnership: its teams, councils and people.
sign-in-or-password = Or, if you were given a password:
sign-in-user-name = User name
sign-in-password = Password

## The dashboard
dash-title = Dashboard
dash-people = people
dash-missing-co-lead = bodies missing a co-lead
dash-bodies-by-level = Bodies by level
dash-level = Level
dash-bodies = Bodies
dash-missing = Missing a co-lead
dash-missing-title = Bodies missing a co-lead
dash-missing-lead = A body needs a labor and a management co-lead, as equals. These have lost one;
dash-see-all = see all { $count }
dash-body = Body
dash-where = Where
dash-missing-which = Missing

## The EIS board
eis-title = Employment and Income Security
eis-lead = Workers displaced by change are redeployed, not laid off: placed by the agreement's priority rules (the most workers placed, then the best set by seniority, then the most comparable jobs and the fewest needing retraining), each proposal with its reasons, and a placement only when both sides' EIS representatives accept it.
eis-representatives = Representatives:
eis-none-named = none named yet
eis-in-pool = in the transition pool
eis-protection-ending = with 30 days of protection or fewer
eis-awaiting = proposals awaiting both sides
eis-placed = placed
eis-retraining = retraining now
eis-open-vacancies = open vacancies
eis-by-region = By region
eis-by-local = By local
eis-region = Region
eis-local = Local
eis-col-in-pool = In the pool
eis-col-proposed = Proposed
eis-col-placed = Placed
eis-col-retraining = Retraining
eis-proposals = Proposals
eis-run = Run placement over the whole pool
eis-worker-search = Worker's name or employee number
eis-every-local = Every local
eis-every-facility = Every facility
eis-show = Show
eis-none-here = No proposals here.
eis-col-priority = Priority
eis-col-worker = Worker
eis-col-from = From
eis-col-job = Job proposed
eis-col-why = Why
eis-col-days-left = Days left
eis-col-accepted = Accepted
eis-accept-for = Accept for { $side }
side-labor = labor
side-management = management
eis-declines = The worker declines…
eis-decline-why = Why the worker declines
eis-record-decline = Record the decline
eis-show-open = awaiting acceptance
eis-show-unplaced = not placed
eis-show-placed = placed
eis-show-declined = declined
eis-show-superseded = superseded
eis-show-all = all

## Notices
notices-unlinked = This sign-in is not linked to a person in the partnership, so nothing is addressed to it. An administrator links it with
notices-none = Nothing for you yet. You are told here (and by email, where your sign-in has an address) when a decision needs your stance, passes its deadline, is blocked, escalated or adopted, and when a body you sit on calls a meeting.
notices-mark-read = Mark all read

## My teams
my-teams-unlinked = This sign-in is not linked to a person in the partnership, so it co-leads and sponsors no team. An administrator links sign-ins to people.
my-teams-awaiting = Awaiting your stance
my-teams-none = You do not co-lead or sponsor a team.
my-teams-lead = Every team you co-lead or sponsor, the ones furthest from the next level first.
my-teams-team = Team
my-teams-you-are = You are
my-teams-before-next = Before the next level
my-teams-last-meeting = Last meeting
my-teams-unverified = Claims not yet verified
my-teams-and-more = and { $count } more
my-teams-never = never
my-teams-quiet = quiet
