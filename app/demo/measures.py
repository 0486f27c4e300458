"""Demo outcome measures for Kent's plan: two or three for each area of weakness, each with a
year of monthly values ending last month (relative to the day the seed runs). The figures are
made up and every source says so. Most are on track, several off track, one has no recent data
(its figures come once a year and the last was five months ago), one is not public, and one value
has been corrected, so every part of the pages has something to show."""

from datetime import date, timedelta

from ..extensions import db
from ..models import Action, Measure, MeasureCorrection, MeasureValue
from ..models.base import utcnow
from .common import user_with_role

DEMO = "Demo figures, not real data"

# action, name, description, unit, better, baseline, target, source, how it goes, public
#   how it goes: "ahead" (on track), "behind" (off track), "stopped" (no recent data)
MEASURES = [
    (
        "APP-1.1",
        "Enquiries to the SEND hub answered within 5 working days",
        "Of all the calls, emails and letters the SEND enquiries hub receives, the share that get "
        "a full answer within 5 working days.",
        "percentage",
        "higher",
        38,
        90,
        "KCC SEND hub records",
        "ahead",
        True,
    ),
    (
        "APP-1.1",
        "Complaints about SEND answered within 20 working days",
        "The share of formal complaints about SEND services that get a written answer within 20 "
        "working days, as the council's complaints policy promises.",
        "percentage",
        "higher",
        45,
        95,
        "KCC complaints team",
        "behind",
        True,
    ),
    (
        "APP-2.1",
        "Children with EHC plans taught in mainstream schools",
        "The share of children and young people with an EHC plan who go to a mainstream school "
        "rather than a special school.",
        "percentage",
        "higher",
        41,
        48,
        "KCC school census",
        "ahead",
        True,
    ),
    (
        "APP-2.3",
        "Permanent exclusions of pupils with SEND",
        "How many pupils with special educational needs were permanently excluded from school in "
        "the year to date.",
        "number",
        "lower",
        96,
        60,
        "KCC exclusions data",
        "behind",
        True,
    ),
    (
        "APP-3.1",
        "Parents taking part who are new to the parent carer forum",
        "Of the parents and carers who took part in surveys, consultations and events, the share "
        "who had not been involved with the forum before.",
        "percentage",
        "higher",
        30,
        60,
        "PACT and SEND Voice participation records",
        "ahead",
        True,
    ),
    (
        "APP-3.3",
        "Parents and carers at IASK workshops each month",
        "How many parents and carers came to an IASK workshop in the month.",
        "number",
        "higher",
        120,
        300,
        "IASK attendance registers",
        "ahead",
        True,
    ),
    (
        "APP-4.1",
        "Joint funding decisions made within 6 weeks",
        "The share of requests for joint education, health and care funding decided within 6 "
        "weeks.",
        "percentage",
        "higher",
        35,
        85,
        "Kent and Medway joint commissioning panel",
        "behind",
        True,
    ),
    (
        "APP-4.2",
        "Children and young people with a keyworker",
        "How many children and young people with autism or a learning disability have a keyworker.",
        "number",
        "higher",
        180,
        400,
        "NHS Kent and Medway keyworker service",
        "ahead",
        True,
    ),
    (
        "APP-5.1",
        "Pupils with EHC plans reaching the expected standard at the end of primary school",
        "The share of pupils with an EHC plan who reach the expected standard in reading, writing "
        "and maths at key stage 2. Published once a year.",
        "percentage",
        "higher",
        8,
        15,
        "Department for Education key stage 2 results",
        "stopped",
        True,
    ),
    (
        "APP-5.2",
        "Pupils with SEND who are persistently absent",
        "The share of pupils with special educational needs who miss 10% or more of school "
        "sessions.",
        "percentage",
        "lower",
        38,
        25,
        "KCC attendance data",
        "behind",
        True,
    ),
    (
        "APP-1.3",
        "EHC plans issued within 20 weeks",
        "The share of new education, health and care plans issued within the 20 weeks the law "
        "allows, counted over the last 12 months.",
        "percentage",
        "higher",
        9,
        60,
        "KCC EHC plan data",
        "ahead",
        True,
    ),
    (
        "APP-6.1",
        "Parents who say their child's views are in their plan",
        "Of the parents asked after a new or reviewed EHC plan, the share who say the plan "
        "describes their child's own views and wishes.",
        "percentage",
        "higher",
        35,
        70,
        "SEND Voice survey on EHC plans",
        "ahead",
        True,
    ),
    (
        "APP-6.2",
        "Annual reviews of EHC plans that are overdue",
        "How many EHC plans have not had the annual review the law requires within the last 12 "
        "months.",
        "number",
        "lower",
        2400,
        500,
        "KCC EHC plan data",
        "behind",
        True,
    ),
    (
        "APP-7.1",
        "Board meetings with parents and young people present",
        "The share of Partnership Assurance Board meetings in the last year attended by at least "
        "one parent carer and one young person.",
        "percentage",
        "higher",
        50,
        100,
        "Partnership Assurance Board minutes",
        "ahead",
        True,
    ),
    (
        "APP-7.2",
        "Plan actions with an outcome measure",
        "The share of the improvement plan's actions that have at least one measure of what they "
        "change for children and families.",
        "percentage",
        "higher",
        10,
        100,
        "SEND Voice",
        "ahead",
        True,
    ),
    (
        "APP-8.1",
        "Children waiting over 18 weeks for a neurodevelopmental assessment",
        "How many children have waited more than 18 weeks for an autism or ADHD assessment since "
        "they were referred.",
        "number",
        "lower",
        6500,
        3000,
        "ICB waiting list",
        "behind",
        True,
    ),
    (
        "APP-8.3",
        "Average wait for a first mental health appointment",
        "The average number of weeks children and young people wait from referral to their first "
        "appointment with children's mental health services.",
        "weeks",
        "lower",
        22,
        12,
        "NHS Kent and Medway",
        "ahead",
        True,
    ),
    (
        "APP-8.4",
        "Wheelchair assessments within 18 weeks",
        "The share of children assessed for a wheelchair within 18 weeks of referral.",
        "percentage",
        "higher",
        40,
        92,
        "Wheelchair service provider returns",
        "behind",
        True,
    ),
    (
        "APP-9.1",
        "Schools using the CATIE dashboard each month",
        "The share of Kent schools that looked at their CATIE inclusion dashboard in the month.",
        "percentage",
        "higher",
        0,
        100,
        "CATIE dashboard usage logs",
        "ahead",
        True,
    ),
    (
        "APP-9.2",
        "Days from a school's request to a decision on extra help",
        "The average number of days between a school asking for extra help for a child and the "
        "council deciding.",
        "days",
        "lower",
        60,
        30,
        "KCC SEND casework system",
        "behind",
        True,
    ),
    (
        "APP-9.2",
        "Children found held back, checked by a caseworker",
        "For staff only while the method is tested: how many children the search found, checked "
        "by a caseworker in the month.",
        "number",
        "higher",
        0,
        200,
        "KCC SEND casework system",
        "ahead",
        False,
    ),
]


def _month_ends(last: date, count: int) -> list[date]:
    """The last day of each of `count` months, ending with `last`'s month, oldest first."""
    ends = []
    day = last
    for _index in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return list(reversed(ends))


def seed_measures(today: date | None = None) -> dict[str, int]:
    """Add the demo measures with their values; skipped when any measure exists."""
    if db.session.scalar(db.select(Measure.id).limit(1)) is not None:
        return {"measures": 0}
    today = today or date.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    months = _month_ends(last_month, 13)  # the baseline month, then a year of values
    baseline_date, value_days = months[0], months[1:]
    target_date = baseline_date.replace(year=baseline_date.year + 2)
    officer = user_with_role("officer")
    actions = {a.reference: a for a in db.session.scalars(db.select(Action))}
    added = 0
    for position, row in enumerate(MEASURES, start=1):
        reference, name, description, unit, better, start, end, source, trend, public = row
        action = actions.get(reference)
        if action is None:
            continue
        measure = Measure(
            action=action,
            name=name,
            description=description,
            unit=unit,
            better=better,
            baseline_value=float(start),
            baseline_date=baseline_date,
            target_value=float(end),
            target_date=target_date,
            source=f"{source} ({DEMO})",
            public=public,
            position=position,
        )
        db.session.add(measure)
        days = value_days[:-5] if trend == "stopped" else value_days
        pace = 0.6 if trend == "behind" else 1.2
        total = (target_date - baseline_date).days
        for index, day in enumerate(days):
            share = (day - baseline_date).days / total
            wobble = (0.02 if index % 2 else -0.02) * (end - start)
            value = start + (end - start) * share * pace + wobble
            value = round(value, 1) if unit == "percentage" else round(value)
            if unit == "percentage":
                value = min(max(value, 0.0), 100.0)
            db.session.add(
                MeasureValue(
                    measure=measure,
                    measured_on=day,
                    value=float(value),
                    note="",
                    recorded_by=officer,
                    recorded_at=utcnow() - timedelta(days=(today - day).days),
                )
            )
        added += 1
    db.session.flush()
    _seed_correction(officer)
    db.session.commit()
    return {"measures": added}


def _seed_correction(officer) -> None:
    """The first measure's value three months ago was corrected when late returns came in."""
    measure = db.session.scalar(db.select(Measure).order_by(Measure.position).limit(1))
    if measure is None or len(measure.values) < 3:
        return
    value = measure.values[-3]
    corrected = round(value.value - 3.5, 1)
    db.session.add(
        MeasureCorrection(
            measure_value=value,
            previous_value=value.value,
            new_value=corrected,
            reason="Late returns from one team were added to the count.",
            corrected_by=officer,
            corrected_at=utcnow() - timedelta(days=40),
        )
    )
    value.value = corrected
