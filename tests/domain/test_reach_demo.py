"""The demo baselines: each dimension's shares add up to 100 or less, with codes the "about you"
questions store, and seeding twice adds nothing."""

from app.demo.reach import BASELINES, seed_reach_baselines
from app.domain.evidence import reach
from app.extensions import db
from app.models import ReachBaseline

from .. import reach_data as data


def test_demo_baselines_use_stored_codes_and_add_up(app):
    with app.test_request_context():
        for dimension, (source, shares) in BASELINES.items():
            codes = {code for code, _label in reach.groups(dimension)}
            assert set(shares) <= codes, dimension
            assert sum(shares.values()) <= 100, dimension
            assert source.startswith("Demo figures")
        assert len(BASELINES["district"][1]) == 12


def test_seeding_adds_them_once(app_ctx):
    data.clear_baselines()
    added = seed_reach_baselines()
    assert added == sum(len(shares) for _source, shares in BASELINES.values())
    assert seed_reach_baselines() == 0
    assert (
        db.session.scalar(
            db.select(ReachBaseline.share).where(
                ReachBaseline.dimension == "district", ReachBaseline.group_code == "Maidstone"
            )
        )
        == 11.0
    )
