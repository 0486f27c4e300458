"""Demo reach baselines for Kent, labelled as demo figures in their source.

Plausible shares modelled on the kinds of published figures a council would use (the DfE's
"Education, health and care plans" (SEN2) return for the local authority, the school census);
they are not the real figures. The group codes are those the "about you" questions store.
"""

from datetime import date

from ..extensions import db
from ..models import ReachBaseline

AS_OF = date(2026, 1, 15)
SEN2 = (
    "Demo figures, modelled on the DfE SEN2 return for Kent: children and young people with "
    "EHC plans"
)
CENSUS = "Demo figures, modelled on the school census for Kent: pupils by first language"

BASELINES = {
    # Where children and young people with EHC plans live, by district.
    "district": (
        SEN2,
        {
            "Ashford": 8.8,
            "Canterbury": 8.6,
            "Dartford": 7.4,
            "Dover": 7.9,
            "Folkestone and Hythe": 7.6,
            "Gravesham": 7.2,
            "Maidstone": 11.0,
            "Sevenoaks": 6.5,
            "Swale": 10.4,
            "Thanet": 10.6,
            "Tonbridge and Malling": 7.7,
            "Tunbridge Wells": 6.3,
        },
    ),
    "age_group": (SEN2, {"0-4": 5.0, "5-10": 33.0, "11-15": 37.0, "16-18": 15.0, "19-25": 10.0}),
    # Primary need, grouped into the four broad areas of the SEND Code of Practice.
    "need": (
        SEN2,
        {
            "communication_interaction": 52.0,
            "cognition_learning": 20.0,
            "social_emotional_mental_health": 19.0,
            "sensory_physical": 7.0,
        },
    ),
    "setting": (
        SEN2,
        {
            "early_years": 4.0,
            "mainstream_school": 40.0,
            "special_school": 36.0,
            "college": 14.0,
            "not_in_education": 4.0,
            "other": 2.0,
        },
    ),
    # Children and young people with SEND: with an EHC plan, or on SEN support.
    "ehc_plan": (
        "Demo figures, modelled on the school census for Kent: pupils with SEND by type of support",
        {"yes": 27.0, "no": 73.0},
    ),
    "language": (CENSUS, {"en": 88.0, "pl": 1.6, "ur": 0.6}),
}


def seed_reach_baselines() -> int:
    """Add the demo baselines that are not there yet (kept ones are left alone)."""
    kept = {
        (dimension, code)
        for dimension, code in db.session.execute(
            db.select(ReachBaseline.dimension, ReachBaseline.group_code)
        )
    }
    added = 0
    for dimension, (source, shares) in BASELINES.items():
        for code, share in shares.items():
            if (dimension, code) in kept:
                continue
            db.session.add(
                ReachBaseline(
                    dimension=dimension, group_code=code, share=share, source=source, as_of=AS_OF
                )
            )
            added += 1
    db.session.commit()
    return added
