"""Demo contributions, themes and "You said, we did" responses for Kent, so a fresh install
shows the golden thread working. Texts are invented, written the way parents and young people
write; none is about a real person."""

THEMES = [
    (
        "Communication and replies",
        "Getting answers, being kept informed, calls and emails returned.",
    ),
    ("Waiting times", "How long it takes to be seen, assessed or get a decision."),
    ("EHC plan quality", "Whether plans describe the child and are reviewed."),
    (
        "Inclusion at school",
        "Being welcomed, reasonable adjustments, exclusions and part-time timetables.",
    ),
    ("Being listened to", "Whether families and young people feel heard and involved."),
    ("Information and advice", "Knowing what is available and how the system works."),
    ("Support while waiting", "Help for families before a diagnosis or a plan."),
    ("Mental health", "Children's and young people's emotional wellbeing and CAMHS."),
    ("Transport", "Getting to school or college."),
    ("Moving on", "Changes of school, phase or to adult services."),
]

# area number -> (theme names, sentiment, texts)
VOICES = {
    1: (
        ["Communication and replies", "Being listened to"],
        "negative",
        [
            "I emailed the SEND team six times over three months and nobody replied. I only got "
            "an answer when my MP wrote to them.",
            "Every time I call I speak to someone new and have to explain everything again.",
            "The new enquiries line answered the same day and rang me back when they said they "
            "would. That has never happened before.",
            "We were promised a call back within five working days. It took five weeks.",
            "I don't believe anyone is willing to meet my son's needs unless I fight for it.",
        ],
    ),
    2: (
        ["Inclusion at school"],
        "negative",
        [
            "The school told us they 'could not meet his needs' before they had even met him.",
            "My daughter has been on a part-time timetable for a year. Nobody seems to think that "
            "is a problem.",
            "Our local primary has been brilliant: they adapted the classroom and the teacher "
            "learned some Makaton.",
            "Secondary schools made it clear at open evenings that children like mine were not "
            "welcome.",
        ],
    ),
    3: (
        ["Being listened to", "Information and advice"],
        "mixed",
        [
            "I had never heard of PACT until another parent told me at the school gate.",
            "The co-production workshop was the first time anyone asked us what would actually "
            "help.",
            "Meetings are always in the daytime in Maidstone. Working parents in Thanet can't get "
            "there.",
        ],
    ),
    4: (
        ["Support while waiting"],
        "negative",
        [
            "Health say it is education's job, education say it is social care's. Meanwhile "
            "nobody helps.",
            "The keyworker has been the one person who joins everything up for us.",
        ],
    ),
    5: (
        ["Inclusion at school"],
        "negative",
        [
            "He is bright but has missed most of Year 9 because the school can't manage his "
            "anxiety.",
            "Nobody measures whether she is actually learning, just whether she is in the "
            "building.",
        ],
    ),
    6: (
        ["EHC plan quality", "Waiting times"],
        "negative",
        [
            "The plan was copied from another child's: it even had the wrong name in one section.",
            "It took 40 weeks to get the final plan, and by then it was out of date.",
            "The annual review hasn't happened for two years.",
            "The new template is much clearer and my son's own words are in it.",
            "There was no input from speech and language therapy even though that is his main "
            "need.",
        ],
    ),
    7: (
        ["Being listened to"],
        "mixed",
        [
            "Publishing what the board decides would help parents trust that something is "
            "happening.",
            "I want to see the actual measures, not just that meetings took place.",
        ],
    ),
    8: (
        ["Waiting times", "Mental health", "Support while waiting"],
        "negative",
        [
            "We have been on the ADHD waiting list for two and a half years.",
            "CAMHS said she was not unwell enough. A month later she was in A&E.",
            "Speech therapy was six sessions and then discharged, with nothing for school to "
            "follow.",
            "The wheelchair took 11 months. He outgrew it in a year.",
            "The parent workshops while we wait for the autism assessment were really useful.",
        ],
    ),
    9: (
        ["Moving on", "Information and advice"],
        "mixed",
        [
            "Nobody checked what happened to the children who were out of school during the worst "
            "years.",
            "Moving to college was a cliff edge: the plan didn't follow him.",
        ],
    ),
}

RESPONSES = [
    {
        "title": "A single number and email for SEND enquiries",
        "you_said": "Many of you told us that emails and calls to the SEND team went unanswered "
        "for weeks, and that you had to explain everything again each time.",
        "we_did": "We opened the SEND enquiries hub: one phone number and one email address. "
        "Every enquiry is logged, you get a reference, and we reply within five working days. We "
        "publish how often we meet that each month.",
        "status": "done",
        "organisation": "KCC",
        "areas": [1, 3],
        "actions": ["APP-1.1"],
        "evidence_area": 1,
    },
    {
        "title": "Clearer EHC plans, written with your child's words",
        "you_said": "You told us plans were copied, out of date and missing health advice, and "
        "that your child's voice was not in them.",
        "we_did": "We changed the plan template with PACT so that the child's own words come "
        "first, and the Designated Clinical Officer now checks a sample of plans every month with "
        "parent representatives.",
        "status": "done",
        "organisation": "KCC",
        "areas": [6],
        "actions": ["APP-6.1"],
        "evidence_area": 6,
    },
    {
        "title": "Support for families waiting for an autism or ADHD assessment",
        "you_said": "You told us the waits for autism and ADHD assessments are far too long and "
        "that there is nothing to help while you wait.",
        "we_did": "We are redesigning the neurodevelopmental pathway and have started monthly "
        "workshops for families on the waiting list. Waiting times are still too long; we will "
        "publish them every quarter.",
        "status": "in_progress",
        "organisation": "NHS Kent and Medway",
        "areas": [8],
        "actions": ["APP-8.1"],
        "evidence_area": 8,
    },
    {
        "title": "Evening and online co-production meetings",
        "you_said": "You told us meetings were only in the daytime and in Maidstone, so many "
        "parents could not take part.",
        "we_did": "From next term every co-production meeting will have an evening or online "
        "option, and we will hold them in a different district each time.",
        "status": "planned",
        "organisation": "PACT",
        "areas": [3],
        "actions": ["APP-3.1"],
        "evidence_area": 3,
    },
]

DISTRICTS = [
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone and Hythe",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
]
