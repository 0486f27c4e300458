"""Kent's demo data: the inspection's nine areas of weakness (in its own words) and a plausible
Accelerated Progress Plan drawn from the measures the council and NHS announced."""

ORGANISATIONS = [
    # name, short name, kind
    ("Kent County Council", "KCC", "council"),
    ("NHS Kent and Medway", "NHS Kent and Medway", "nhs"),
    ("Parents and Carers Together (PACT)", "PACT", "forum"),
    ("Kent schools", "Kent schools", "schools"),
]

TEAMS = [
    # name, organisation (short name), shared email address, target reply time in working days
    ("SEND casework (Kent County Council)", "KCC", "send.casework@kent.example.gov.uk", 10),
    (
        "Children's therapies (NHS Kent and Medway)",
        "NHS Kent and Medway",
        "therapies@nhs.example.uk",
        15,
    ),
]

AREAS = [
    {
        "number": 1,
        "title": "Parents' confidence that children's needs will be met",
        "finding": "A widely held concern of parents that the local area is not able, or in some "
        "cases not willing, to meet their children’s needs.",
        "plain_summary": "Many parents told inspectors they do not believe the council, the NHS "
        "and schools can or will meet their child's needs. Too often, when parents and schools "
        "contacted the council, nobody answered. The systems for handling enquiries and "
        "complaints could not cope.",
        "young_person_summary": "Lots of parents feel that the people in charge are not helping "
        "children and young people with SEND in the way they need. Sometimes when families asked "
        "for help, nobody replied.",
    },
    {
        "number": 2,
        "title": "Inclusion in schools",
        "finding": "A variable quality of provision and commitment to inclusion in schools, and "
        "the lack of willingness of some schools to accommodate children and young people with "
        "SEND.",
        "plain_summary": "Some schools welcome children with SEND and teach them well. Others are "
        "not willing to take them, and specialist places are not always given out according to "
        "need. Training has reached many schools but has not yet changed things across the county.",
        "young_person_summary": "Some schools are great at including young people with SEND. "
        "Other schools do not welcome them. Every school should make you feel welcome and help "
        "you learn.",
    },
    {
        "number": 3,
        "title": "Parents and carers designing services",
        "finding": "That parents and carers have a limited role in reviewing and designing "
        "services for children and young people with SEND.",
        "plain_summary": "Parents and carers have too little say in how services are checked and "
        "designed. The parent carer forum, PACT, works hard but does not reach enough families, "
        "and too many parents have never heard of it.",
        "young_person_summary": "Families do not get enough chances to help plan the services "
        "they use. Not enough people know about the group that speaks up for parents.",
    },
    {
        "number": 4,
        "title": "Joint commissioning by the council and the NHS",
        "finding": "An inability of current joint commissioning arrangements to address known "
        "gaps and eliminate longstanding weaknesses in the services for children and young people "
        "with SEND.",
        "plain_summary": "The council and the NHS plan and buy some services together, and work "
        "more closely than before, but the gaps everyone knows about have not been closed. "
        "Children whose needs fall between health and social care still miss out.",
        "young_person_summary": "The council and the NHS are meant to work together to set up the "
        "right services. They are working together better, but some young people still fall "
        "through the gaps.",
    },
    {
        "number": 5,
        "title": "Standards and progress of children and young people with SEND",
        "finding": "Poor standards achieved, and poor progress made, by too many children and "
        "young people with SEND.",
        "plain_summary": "Too many children and young people with SEND do not do as well at "
        "school as they could, and too many miss school, even though more money is being spent "
        "than ever.",
        "young_person_summary": "Too many young people with SEND are not getting the help they "
        "need to learn and do well. Many are missing school.",
    },
    {
        "number": 6,
        "title": "Education, health and care (EHC) plans",
        "finding": "The inconsistent quality of the EHC process; a lack of up-to-date assessments "
        "and limited contributions from health and care professionals; and poor processes to "
        "check and review the quality of EHC plans.",
        "plain_summary": "The quality of EHC plans varies too much. Assessments are often out of "
        "date, health and care professionals add too little, plans take too long, and too few are "
        "reviewed each year to check they still fit the child.",
        "young_person_summary": "An EHC plan says what help you should get. Some plans are good, "
        "some are not. They take too long to write and are not checked often enough.",
    },
    {
        "number": 7,
        "title": "Governance and action planning",
        "finding": "Weak governance of SEND arrangements across the EHC system at strategic and "
        "operational level and an absence of robust action plans to address known weaknesses.",
        "plain_summary": "The board meant to lead improvement did not work. Plans to fix known "
        "problems were weak, and the measures being watched did not show whether things were "
        "getting better for children.",
        "young_person_summary": "The people in charge did not check properly that things were "
        "getting better, and their plans to fix problems were not strong enough.",
    },
    {
        "number": 8,
        "title": "Waiting times for health services",
        "finding": "Unacceptable waiting times for children and young people to be seen by some "
        "health services, particularly CAMHS, tier two services, SALT, the wheelchair service, "
        "and ASD and ADHD assessment and review.",
        "plain_summary": "Children wait far too long for some NHS services: mental health "
        "(CAMHS), speech and language therapy, wheelchairs, and autism and ADHD assessments.",
        "young_person_summary": "Young people wait much too long to see some NHS services, like "
        "mental health support, speech and language help, wheelchairs, and autism or ADHD checks.",
    },
    {
        "number": 9,
        "title": "Reviewing and improving outcomes",
        "finding": "A lack of effective systems to review and improve outcomes for those children "
        "and young people whose progress to date has been limited by weaknesses in provision.",
        "plain_summary": "There is no reliable way to find the children and young people who have "
        "been held back by poor support in the past, or to check that things are now improving "
        "for them.",
        "young_person_summary": "Some young people were let down in the past. There is no good "
        "system yet to find them and make sure things get better for them.",
    },
]

# reference, title, description, owner short name, lead, due (ISO), status, progress, areas
ACTIONS = [
    (
        "APP-1.1",
        "Open a single SEND enquiries hub",
        "One phone number and one email address for every SEND question from parents, schools and "
        "settings, with answers and updates tracked so that no enquiry goes unanswered.",
        "KCC",
        "Head of SEND Operations",
        "2026-03-31",
        "complete",
        100,
        [1, 3],
    ),
    (
        "APP-1.2",
        "Keep families informed during EHC needs assessments",
        "Proactive updates at each stage of an assessment and when a child moves to the next "
        "stage of education, instead of families having to chase.",
        "KCC",
        "Assistant Director, SEND",
        "2026-12-31",
        "at_risk",
        55,
        [1, 6],
    ),
    (
        "APP-1.3",
        "Recruit permanent, experienced SEND casework staff",
        "Replace agency cover with permanent case officers, including people with lived "
        "experience of SEND as parents, carers or young people.",
        "KCC",
        "Director of Education",
        "2026-09-30",
        "on_track",
        80,
        [1, 6],
    ),
    (
        "APP-2.1",
        "Embed the Mainstream Core Standards in every school",
        "Every school and setting meets the Mainstream Core Standards: what any child with SEND "
        "can expect from their local school, with training and classroom resources.",
        "Kent schools",
        "Chair, Kent Association of Headteachers",
        "2027-07-31",
        "on_track",
        45,
        [2, 5],
    ),
    (
        "APP-2.2",
        "Countywide Approach to Inclusive Education (CATIE)",
        "A new inclusion policy and diagnostic tool so that schools can see where they are and "
        "what to improve.",
        "KCC",
        "Director of Education",
        "2026-12-31",
        "on_track",
        70,
        [2, 9],
    ),
    (
        "APP-2.3",
        "Inclusive Leadership Programme for school leaders",
        "A leadership programme for headteachers and governors on building inclusive schools.",
        "Kent schools",
        "Inclusion Lead, The Education People",
        "2027-03-31",
        "not_started",
        0,
        [2],
    ),
    (
        "APP-2.4",
        "Review eligibility for maintained special schools",
        "Places in special schools are allocated by need, openly and consistently, not by how "
        "hard families have to push.",
        "KCC",
        "Head of Special Educational Needs",
        "2026-06-30",
        "off_track",
        30,
        [2, 4],
    ),
    (
        "APP-3.1",
        "Reach families beyond the parent carer forum",
        "Work with other family forums, charities and community groups so that many more parents "
        "and carers, in every district, can shape services.",
        "PACT",
        "PACT Co-chairs",
        "2027-01-31",
        "on_track",
        40,
        [3],
    ),
    (
        "APP-3.2",
        "Parents and young people on the Partnership Assurance Board",
        "Parent carer and young person representatives sit on the SEND Partnership Assurance "
        "Board with the same standing as other members.",
        "KCC",
        "Corporate Director, Children, Young People and Education",
        "2026-04-30",
        "complete",
        100,
        [3, 7],
    ),
    (
        "APP-3.3",
        "IASK workshops for parents and practitioners",
        "Information, Advice and Support Kent runs regular workshops on the SEND system for "
        "parents and for practitioners, together.",
        "KCC",
        "IASK Manager",
        "2026-10-31",
        "complete",
        100,
        [3, 1],
    ),
    (
        "APP-4.1",
        "Tripartite funding for children with complex needs",
        "Education, health and social care agree and share the cost of support for children with "
        "the most complex needs, so nobody falls between services.",
        "NHS Kent and Medway",
        "Director of Children's Commissioning",
        "2026-11-30",
        "at_risk",
        60,
        [4],
    ),
    (
        "APP-4.2",
        "Expand the keyworker programme",
        "Keyworkers for children and young people with a learning disability or autism who are at "
        "risk of going into hospital.",
        "NHS Kent and Medway",
        "Keyworker Programme Lead",
        "2027-03-31",
        "on_track",
        65,
        [4, 8],
    ),
    (
        "APP-5.1",
        "County-wide strategy to raise attainment",
        "A strategy, agreed with schools, to improve the standards achieved by children and young "
        "people with SEND, with targets reported each term.",
        "Kent schools",
        "Director of Education",
        "2027-07-31",
        "not_started",
        5,
        [5],
    ),
    (
        "APP-5.2",
        "Remove barriers to school attendance",
        "The attendance service and early help work with families and schools to get children "
        "with EHC plans back into school.",
        "KCC",
        "Head of Attendance and Inclusion",
        "2026-12-31",
        "off_track",
        25,
        [5, 9],
    ),
    (
        "APP-6.1",
        "Better EHC plans, checked with parents",
        "A clearer plan template that includes the child's voice, and quality checks of "
        "anonymised plans by the Designated Clinical Officer with PACT.",
        "KCC",
        "EHCP Quality Assurance Lead",
        "2026-09-30",
        "complete",
        100,
        [6, 3],
    ),
    (
        "APP-6.2",
        "Clear the backlog of annual reviews",
        "Every EHC plan is reviewed at least once a year, starting with children at a change of "
        "school or phase.",
        "KCC",
        "Head of SEND Operations",
        "2027-03-31",
        "at_risk",
        35,
        [6, 9],
    ),
    (
        "APP-7.1",
        "Establish the SEND Partnership Assurance Board",
        "A new board, co-chaired by the NHS Chief Nurse and the Corporate Director, replaces the "
        "SEND Improvement Board and holds every partner to account.",
        "KCC",
        "Corporate Director, Children, Young People and Education",
        "2026-02-28",
        "complete",
        100,
        [7],
    ),
    (
        "APP-7.2",
        "Outcome-focused measures of progress",
        "Key performance indicators that show what has changed for children and families, not "
        "only what tasks were done, published each quarter.",
        "KCC",
        "Head of Performance and Insight",
        "2026-12-31",
        "on_track",
        50,
        [7, 9],
    ),
    (
        "APP-8.1",
        "Review the neurodevelopmental assessment pathway",
        "Redesign autism and ADHD assessment and review so that families wait less and get "
        "support while they wait.",
        "NHS Kent and Medway",
        "Clinical Lead, Neurodevelopmental Pathway",
        "2027-06-30",
        "off_track",
        20,
        [8],
    ),
    (
        "APP-8.2",
        "Speech and language therapy: the Balanced System",
        "Adopt the Balanced System approach so that several providers deliver the same outcomes "
        "and children are seen sooner.",
        "NHS Kent and Medway",
        "Head of Children's Therapies",
        "2027-03-31",
        "on_track",
        45,
        [8, 4],
    ),
    (
        "APP-8.3",
        "Shorter waits for children's mental health services",
        "CAMHS waiting times brought down, with experts by experience helping to commission the "
        "service.",
        "NHS Kent and Medway",
        "CAMHS Commissioning Lead",
        "2027-03-31",
        "at_risk",
        30,
        [8, 3],
    ),
    (
        "APP-8.4",
        "Wheelchair service recovery plan",
        "Bring wheelchair assessment and delivery times within the national standard of 18 weeks.",
        "NHS Kent and Medway",
        "Wheelchair Service Manager",
        "2026-10-31",
        "off_track",
        40,
        [8],
    ),
    (
        "APP-9.1",
        "CATIE dashboard for every school",
        "A dashboard that gives each school and the local area clear, reliable data on inclusion, "
        "attendance and progress.",
        "KCC",
        "Head of Performance and Insight",
        "2026-07-31",
        "complete",
        100,
        [9, 2],
    ),
    (
        "APP-9.2",
        "Find children held back by past weaknesses",
        "Identify the children and young people whose progress was limited by poor provision, and "
        "agree a plan with each family.",
        "KCC",
        "Assistant Director, SEND",
        "2027-01-31",
        "not_started",
        10,
        [9, 5],
    ),
]

# A short history for some actions: (reference, status, progress, note)
HISTORY = [
    ("APP-1.1", "on_track", 40, "Hub team recruited; phone line and shared inbox being set up."),
    (
        "APP-1.1",
        "at_risk",
        60,
        "Launch moved back four weeks while the call-handling system is tested.",
    ),
    (
        "APP-1.1",
        "complete",
        100,
        "The SEND enquiries hub is open: one number and one email address, every enquiry logged "
        "with a reply time.",
    ),
    ("APP-1.2", "on_track", 40, "Update letters drafted with PACT for each assessment stage."),
    (
        "APP-1.2",
        "at_risk",
        55,
        "Letters are going out, but late for about one family in five. Extra staff agreed.",
    ),
    (
        "APP-2.4",
        "on_track",
        20,
        "Eligibility criteria drafted and shared with special school headteachers.",
    ),
    (
        "APP-2.4",
        "off_track",
        30,
        "Consultation with families delayed; new timetable going to the Assurance Board.",
    ),
    (
        "APP-7.1",
        "on_track",
        60,
        "Terms of reference agreed; parent and young person members recruited.",
    ),
    (
        "APP-7.1",
        "complete",
        100,
        "The SEND Partnership Assurance Board has met and meets every month.",
    ),
    ("APP-8.1", "on_track", 10, "Review started; families invited to tell us about the pathway."),
    (
        "APP-8.1",
        "off_track",
        20,
        "Waiting lists grew over the summer. Recovery plan to the Board in December.",
    ),
    ("APP-9.1", "on_track", 70, "Dashboard tested with twenty schools."),
    ("APP-9.1", "complete", 100, "Every Kent school can now see its CATIE dashboard."),
]

DEMO_PASSWORD = "demo-password-for-kent"

DEMO_USERS = [
    # email, name, role, organisation short name
    ("coordinator@example.org", "Cara Coordinator", "coordinator", "PACT"),
    ("officer@example.org", "Omar Officer", "officer", "KCC"),
    ("admin@example.org", "Ada Administrator", "admin", "KCC"),
]
