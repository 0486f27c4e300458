"""Editing a survey's structure: sections (one page each), questions, their options, the
conditions that show a section or question only for one earlier answer, and their order.

Order: `SurveySection.position` numbers the sections from 0 and `SurveyQuestion.position`
numbers the questions across the whole survey from 1, in section order, so results and exports
can sort by it alone. Every change that moves anything renumbers both.

Conditions point backwards: a section or question can depend only on the answer to an earlier
single-choice or yes/no question, so the answering journey always knows the answer before it
needs it. Changes that would break that are refused, with the reason.

Once people have answered a survey, nothing their answers point at may go: questions, sections
with questions, options, or a question's type. Wording can still be corrected.

Every function takes a survey loaded with `surveys.load_survey` (or `survey_builder.staff_survey`)
and works on its loaded parts; rules are checked before anything changes.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ...extensions import db
from ...models import (
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyCondition,
    SurveyQuestion,
    SurveySection,
    User,
)
from ..people import audit
from ..shared.errors import Problems, Refused
from ..shared.wording import set_translation
from .builder import _actions, _areas, _relink, response_count

CONDITION_SOURCE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO)
# The wording of a new rating scale unless the coordinator changes it; position 1 is the lowest.
DEFAULT_RATING_POINTS = ("Very poor", "Poor", "Neither good nor poor", "Good", "Very good")

SECTION_TITLE_MAX = 200
QUESTION_TEXT_MAX = 500
HINT_MAX = 2000
DESCRIPTION_MAX = 5000
OPTION_MAX = 300
MAX_OPTIONS = 50
MAX_RATING_POINTS = 11
MAX_LENGTH_LIMIT = 20000
NUMBER_LIMIT = 1_000_000_000


@dataclass
class SectionDetails:
    title: str
    description: str = ""
    condition_option_id: int | None = None  # show the section only when this option is chosen


@dataclass
class QuestionDetails:
    """What a coordinator sets about a question. Options: wording of existing ones by id, ids
    to remove, and new ones to add at the end (for a new question, all its options)."""

    text: str
    hint: str = ""
    required: bool = False
    max_length: int | None = None  # text questions; None: the default in domain.surveys
    min_value: int | None = None  # number questions
    max_value: int | None = None
    allow_other: bool = False  # multiple choice: "Other, please say"
    new_options: list[str] = field(default_factory=list)
    option_labels: dict[int, str] = field(default_factory=dict)
    remove_option_ids: set[int] = field(default_factory=set)
    condition_option_id: int | None = None
    section_id: int | None = None  # move to the end of this section; None: stay
    area_ids: list[int] = field(default_factory=list)
    action_ids: list[int] = field(default_factory=list)


# Reading the structure -------------------------------------------------------------------------


@dataclass
class Rule:
    """A condition: `target` (section or question) is shown only when `source` is answered
    `option`."""

    target: object
    source: SurveyQuestion | None
    option: QuestionOption | None
    condition: SurveyCondition | None = None


class Layout:
    """A loaded survey's sections and questions in order, as plain lists that can be rearranged
    and checked before anything is changed, then applied."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.sections: list[SurveySection] = list(survey.sections)
        self.questions: dict[SurveySection, list[SurveyQuestion]] = {
            s: list(s.questions) for s in self.sections
        }
        all_questions = [q for s in self.sections for q in self.questions[s]]
        self.options = {o.id: o for q in all_questions for o in q.options}
        self.option_owner = {o.id: q for q in all_questions for o in q.options}
        self.rules: dict[object, Rule] = {}
        sections_by_id = {s.id: s for s in self.sections}
        questions_by_id = {q.id: q for q in all_questions}
        for condition in survey.conditions:
            target = (
                sections_by_id.get(condition.section_id)
                if condition.section_id
                else questions_by_id.get(condition.question_id)
            )
            if target is not None:
                self.rules[target] = Rule(
                    target,
                    self.option_owner.get(condition.option_id),
                    self.options.get(condition.option_id),
                    condition,
                )

    def flat(self) -> list[SurveyQuestion]:
        return [q for s in self.sections for q in self.questions[s]]

    def section_of(self, question: SurveyQuestion) -> SurveySection | None:
        return next((s for s in self.sections if question in self.questions[s]), None)

    def number(self, question: SurveyQuestion) -> int:
        return self.flat().index(question) + 1

    def propose(self, target, option_id: int | None) -> None:
        """Set (or clear, with None) the condition on a section or question, in this layout only."""
        if option_id is None:
            self.rules.pop(target, None)
        else:
            existing = self.rules.get(target)
            self.rules[target] = Rule(
                target,
                self.option_owner.get(option_id),
                self.options.get(option_id),
                existing.condition if existing else None,
            )

    def dependants(self, questions) -> list[Rule]:
        """Rules that use the answer to any of these questions."""
        questions = set(questions)
        return [rule for rule in self.rules.values() if rule.source in questions]

    def order_problems(self) -> list[tuple[object, str]]:
        """(target, why) for every condition that does not point at an earlier question."""
        flat = self.flat()
        index = {q: i for i, q in enumerate(flat)}
        section_index = {s: i for i, s in enumerate(self.sections)}
        question_section = {q: section_index[s] for s in self.sections for q in self.questions[s]}
        problems = []
        for target, rule in self.rules.items():
            if rule.source is None or rule.source not in index:
                continue
            if isinstance(target, SurveySection):
                if (
                    target in section_index
                    and question_section[rule.source] >= section_index[target]
                ):
                    problems.append(
                        (
                            target,
                            _(
                                "The section “%(target)s” is shown only when the answer to "
                                "“%(source)s” is “%(option)s”, "
                                "so it must come after the section that asks that question.",
                                target=target.title,
                                source=rule.source.text,
                                option=rule.option.label,
                            ),
                        )
                    )
            elif target in index and index[rule.source] >= index[target]:
                problems.append(
                    (
                        target,
                        _(
                            "“%(target)s” is shown only when the answer to “%(source)s” is "
                            "“%(option)s”, "
                            "so it must come after that question.",
                            target=target.text,
                            source=rule.source.text,
                            option=rule.option.label,
                        ),
                    )
                )
        return problems

    def apply(self) -> None:
        """Give every section and question its place: sections from 0, questions from 1 across
        the whole survey, each question in its section and survey."""
        position = 0
        for section_number, section in enumerate(self.sections):
            section.position = section_number
            for question in self.questions[section]:
                position += 1
                question.position = position
                question.survey_id = self.survey.id
                if question.section is not section:
                    question.section = section


def _rule_text(rule: Rule) -> str:
    return _("“%(question)s” is “%(option)s”", question=rule.source.text, option=rule.option.label)


@dataclass
class ConditionChoice:
    option_id: int
    question_number: int
    question_text: str
    option_label: str


def condition_choices(
    survey: Survey,
    *,
    question: SurveyQuestion | None = None,
    section: SurveySection | None = None,
    new_in_section: SurveySection | None = None,
    new_section: bool = False,
) -> list[ConditionChoice]:
    """The answers a section or question may depend on where it is now: the options of the
    single-choice and yes/no questions before it (a section: in earlier sections)."""
    layout = Layout(survey)
    flat = layout.flat()
    if question is not None:
        sources = flat[: flat.index(question)] if question in flat else []
    elif new_in_section is not None:
        upto = layout.sections.index(new_in_section) + 1 if new_in_section in layout.sections else 0
        sources = [q for s in layout.sections[:upto] for q in layout.questions[s]]
    elif section is not None:
        upto = layout.sections.index(section) if section in layout.sections else 0
        sources = [q for s in layout.sections[:upto] for q in layout.questions[s]]
    else:
        sources = flat if new_section else []
    return [
        ConditionChoice(option.id, flat.index(source) + 1, source.text, option.label)
        for source in sources
        if source.kind_enum in CONDITION_SOURCE_KINDS
        for option in source.options
    ]


# Outline: the overview page's structure --------------------------------------------------------


@dataclass
class QuestionLine:
    question: SurveyQuestion
    number: int
    condition: str  # "" when always shown
    first: bool  # nowhere to move up to
    last: bool


@dataclass
class SectionBlock:
    section: SurveySection
    number: int
    condition: str
    questions: list[QuestionLine]
    first: bool
    last: bool


def outline(survey: Survey) -> list[SectionBlock]:
    """Sections and their questions, numbered, with their conditions in words. No queries."""
    layout = Layout(survey)
    flat = layout.flat()
    blocks = []
    for index, section in enumerate(layout.sections):
        lines = []
        for question in layout.questions[section]:
            rule = layout.rules.get(question)
            position = flat.index(question)
            lines.append(
                QuestionLine(
                    question,
                    position + 1,
                    _rule_text(rule) if rule and rule.source else "",
                    first=position == 0,
                    last=position == len(flat) - 1,
                )
            )
        rule = layout.rules.get(section)
        blocks.append(
            SectionBlock(
                section,
                index + 1,
                _rule_text(rule) if rule and rule.source else "",
                lines,
                first=index == 0,
                last=index == len(layout.sections) - 1,
            )
        )
    return blocks


# Checks shared by sections and questions -----------------------------------------------------


def _check_condition(layout: Layout, target, option_id: int | None, problems: Problems) -> None:
    """The option exists in this survey, belongs to a single-choice or yes/no question, and
    not to the target itself; whether it is earlier is checked with the whole order."""
    if option_id is None:
        return
    option = layout.options.get(option_id)
    source = layout.option_owner.get(option_id)
    if option is None:
        problems.add("condition", _("Choose an answer to a question in this survey"))
    elif source.kind_enum not in CONDITION_SOURCE_KINDS:
        problems.add(
            "condition",
            _("A condition can only use the answer to a single-choice or yes or no question"),
        )
    elif source is target:
        problems.add("condition", _("A question cannot depend on its own answer"))


def _order_check(layout: Layout, edited, problems: Problems) -> None:
    for target, message in layout.order_problems():
        problems.add("condition" if target is edited else "", message)


def _set_condition(survey: Survey, target, option_id: int | None) -> dict | None:
    """Store the condition on a section or question; returns what changed, for the audit."""
    is_section = isinstance(target, SurveySection)
    existing = next(
        (
            c
            for c in survey.conditions
            if (c.section_id == target.id if is_section else c.question_id == target.id)
        ),
        None,
    )
    before = existing.option_id if existing else None
    if before == option_id:
        return None
    if option_id is None:
        survey.conditions.remove(existing)
    elif existing is not None:
        existing.option_id = option_id
    else:
        survey.conditions.append(
            SurveyCondition(
                survey_id=survey.id,
                option_id=option_id,
                section_id=target.id if is_section else None,
                question_id=None if is_section else target.id,
            )
        )
    return {"from": before, "to": option_id}


def _apply_order(layout: Layout) -> None:
    """Refuse an order in which a condition would come before the answer it depends on;
    otherwise number the sections and questions in it."""
    problems = Problems()
    _order_check(layout, None, problems)
    problems.raise_if_any()
    layout.apply()


def _store_new(survey: Survey, layout: Layout, target, option_id: int | None) -> None:
    """A new section or question takes its place in the order, then its condition."""
    layout.apply()
    db.session.flush()  # its id, for the condition
    _set_condition(survey, target, option_id)


def _change_condition(survey: Survey, target, option_id: int | None, changed: dict) -> None:
    """Store the condition of an edited section or question; a change is added to `changed`."""
    condition = _set_condition(survey, target, option_id)
    if condition:
        changed["condition"] = condition


def _dependants_message(rules: list[Rule]) -> str:
    names = "; ".join(
        (
            _("the section “%(title)s”", title=rule.target.title)
            if isinstance(rule.target, SurveySection)
            else f"“{rule.target.text}”"
        )
        for rule in rules
    )
    return _(
        "Other parts of the survey are shown only for an answer to this: %(names)s. "
        "Change those conditions first.",
        names=names,
    )


def _responses_message() -> str:
    return _(
        "People have already answered this survey, so this cannot be removed: their answers point "
        "at it. "
        "You can still correct the wording."
    )


# Sections --------------------------------------------------------------------------------------


def _check_section(details: SectionDetails, problems: Problems) -> None:
    if not details.title.strip():
        problems.add("title", _("Enter a title for the section"))
    elif len(details.title) > SECTION_TITLE_MAX:
        problems.add("title", _("Title must be %(max)d characters or fewer", max=SECTION_TITLE_MAX))
    if len(details.description or "") > DESCRIPTION_MAX:
        problems.add(
            "description", _("Description must be %(max)d characters or fewer", max=DESCRIPTION_MAX)
        )


def add_section(actor: User, survey: Survey, details: SectionDetails) -> SurveySection:
    """A new section (a new page) at the end of the survey. Commits."""
    problems = Problems()
    _check_section(details, problems)
    section = SurveySection(
        title=details.title.strip(), description=details.description or "", translations={}
    )
    layout = Layout(survey)
    _check_condition(layout, section, details.condition_option_id, problems)
    if not problems:
        layout.sections.append(section)
        layout.questions[section] = []
        layout.propose(section, details.condition_option_id)
        _order_check(layout, section, problems)
    problems.raise_if_any()
    survey.sections.append(section)
    _store_new(survey, layout, section, details.condition_option_id)
    audit.record(
        "survey.section_added",
        survey,
        actor=actor,
        summary=f"{survey.title}: {section.title}",
        detail={
            "section": section.id,
            "title": section.title,
            "condition": details.condition_option_id,
        },
    )
    db.session.commit()
    return section


def update_section(
    actor: User, survey: Survey, section: SurveySection, details: SectionDetails
) -> list[str]:
    """Change a section's wording or condition; returns what changed. Commits."""
    problems = Problems()
    _check_section(details, problems)
    layout = Layout(survey)
    _check_condition(layout, section, details.condition_option_id, problems)
    if not problems:
        layout.propose(section, details.condition_option_id)
        _order_check(layout, section, problems)
    problems.raise_if_any()
    changed = audit.apply_changes(
        section, {"title": details.title.strip(), "description": details.description or ""}
    )
    _change_condition(survey, section, details.condition_option_id, changed)
    if changed:
        audit.record(
            "survey.section_changed",
            survey,
            actor=actor,
            summary=f"{survey.title}: {section.title}: {', '.join(changed)}",
            detail={"section": section.id, **changed},
        )
    db.session.commit()
    return list(changed)


def move_section(actor: User, survey: Survey, section: SurveySection, direction: str) -> bool:
    """Swap a section with the one before ("up") or after ("down"), moving its questions with
    it. Returns False when there is nowhere to go. Commits."""
    layout = Layout(survey)
    index = layout.sections.index(section)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(layout.sections):
        return False
    layout.sections[index], layout.sections[other] = layout.sections[other], layout.sections[index]
    _apply_order(layout)
    audit.record(
        "survey.section_moved",
        survey,
        actor=actor,
        summary=f"{survey.title}: {section.title} {direction}",
        detail={
            "section": section.id,
            "direction": direction,
            "position": layout.sections.index(section),
        },
    )
    db.session.commit()
    return True


def section_deletion_blockers(
    survey: Survey, section: SurveySection, responses: int | None = None
) -> list[str]:
    """Why a section cannot be deleted (empty when it can)."""
    layout = Layout(survey)
    questions = layout.questions.get(section, [])
    reasons = []
    responses = response_count(survey) if responses is None else responses
    if questions and responses:
        reasons.append(
            _(
                "People have already answered this survey, so its questions must stay. You can "
                "move "
                "them to another section first, or correct their wording."
            )
        )
    inside = {section, *questions}
    outside = [rule for rule in layout.dependants(questions) if rule.target not in inside]
    if outside:
        reasons.append(_dependants_message(outside))
    return reasons


def delete_section(actor: User, survey: Survey, section: SurveySection) -> None:
    """Delete a section and its questions (and their options and conditions). Commits."""
    blockers = section_deletion_blockers(survey, section)
    if blockers:
        raise Refused(*(("", message) for message in blockers))
    layout = Layout(survey)
    questions = layout.questions.pop(section)
    layout.sections.remove(section)
    gone = {section, *questions}
    for condition in [
        rule.condition
        for rule in layout.rules.values()
        if rule.condition is not None and (rule.target in gone or rule.source in gone)
    ]:
        survey.conditions.remove(condition)
    survey.sections.remove(section)  # delete-orphan: the section, its questions and options go
    layout.apply()
    audit.record(
        "survey.section_deleted",
        survey,
        actor=actor,
        summary=f"{survey.title}: {section.title}",
        detail={"section": section.id, "title": section.title, "questions": len(questions)},
    )
    db.session.commit()


# Questions -------------------------------------------------------------------------------------


def _clean_labels(labels) -> list[str]:
    return [label.strip() for label in labels if label and label.strip()]


def _check_question(kind: QuestionKind, details: QuestionDetails, problems: Problems) -> None:
    if not details.text.strip():
        problems.add("text", _("Enter the question"))
    elif len(details.text) > QUESTION_TEXT_MAX:
        problems.add(
            "text", _("The question must be %(max)d characters or fewer", max=QUESTION_TEXT_MAX)
        )
    if len(details.hint or "") > HINT_MAX:
        problems.add("hint", _("Hint must be %(max)d characters or fewer", max=HINT_MAX))
    if (
        kind.is_free_text
        and details.max_length is not None
        and not 1 <= details.max_length <= MAX_LENGTH_LIMIT
    ):
        problems.add(
            "max_length",
            _("Character limit must be between 1 and %(max)s", max=f"{MAX_LENGTH_LIMIT:,}"),
        )
    if kind == QuestionKind.NUMBER:
        for name in ("min_value", "max_value"):
            value = getattr(details, name)
            if value is not None and not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:
                problems.add(
                    name,
                    _("Enter a number between -%(limit)s and %(limit)s", limit=f"{NUMBER_LIMIT:,}"),
                )
        if (
            details.min_value is not None
            and details.max_value is not None
            and details.min_value > details.max_value
        ):
            problems.add(
                "max_value",
                _("The highest number allowed must be the same as or more than the lowest"),
            )


def _check_options(
    kind: QuestionKind, labels: list[str], problems: Problems, field_name: str = "options"
) -> None:
    """The options a choice question ends up with: enough, not too many, none twice, none too
    long."""
    if kind not in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.RATING):
        return
    if len(labels) < 2:
        problems.add(
            field_name,
            _("Enter at least 2 points on the scale")
            if kind == QuestionKind.RATING
            else _("Enter at least 2 options for people to choose from"),
        )
    if kind == QuestionKind.RATING and len(labels) > MAX_RATING_POINTS:
        problems.add(
            field_name, _("A rating scale can have up to %(max)d points", max=MAX_RATING_POINTS)
        )
    elif len(labels) > MAX_OPTIONS:
        problems.add(field_name, _("A question can have up to %(max)d options", max=MAX_OPTIONS))
    too_long = [label for label in labels if len(label) > OPTION_MAX]
    if too_long:
        problems.add(
            field_name, _("Each option must be %(max)d characters or fewer", max=OPTION_MAX)
        )
    seen, twice = set(), []
    for label in labels:
        key = label.casefold()
        if key in seen and label not in twice:
            twice.append(label)
        seen.add(key)
    if twice:
        problems.add(
            field_name,
            _("Each option must be different: “%(label)s” is there more than once", label=twice[0]),
        )


def _new_options(labels: list[str]) -> list[QuestionOption]:
    """Options with these labels, numbered in the order given."""
    return [
        QuestionOption(label=label, position=n, translations={})
        for n, label in enumerate(labels, start=1)
    ]


def yes_no_options() -> list[QuestionOption]:
    """The two options of a yes/no question, with their wording in every configured language."""
    options = []
    for position, (english, translated) in enumerate(
        (("Yes", lambda: _("Yes")), ("No", lambda: _("No"))), start=1
    ):
        option = QuestionOption(label=english, position=position, translations={})
        for code in current_app.config.get("LANGUAGES", {}):
            if code == "en":
                continue
            with force_locale(code):
                text = translated()
            if text and text != english:
                set_translation(option, code, "label", text)
        options.append(option)
    return options


def _kind_fields(kind: QuestionKind, details: QuestionDetails) -> dict:
    """The settings a kind of question uses; the others are cleared."""
    return {
        "max_length": details.max_length if kind.is_free_text else None,
        "min_value": details.min_value if kind == QuestionKind.NUMBER else None,
        "max_value": details.max_value if kind == QuestionKind.NUMBER else None,
        "allow_other": bool(details.allow_other) if kind == QuestionKind.MULTIPLE_CHOICE else False,
    }


def add_question(
    actor: User,
    survey: Survey,
    section: SurveySection,
    kind: QuestionKind,
    details: QuestionDetails,
) -> SurveyQuestion:
    """A new question at the end of a section. Yes/no questions get their two options. Commits."""
    problems = Problems()
    _check_question(kind, details, problems)
    labels = _clean_labels(details.new_options)
    _check_options(kind, labels, problems)
    question = SurveyQuestion(
        kind=kind.value,
        text=details.text.strip(),
        hint=details.hint or "",
        required=details.required,
        translations={},
        **_kind_fields(kind, details),
    )
    layout = Layout(survey)
    _check_condition(layout, question, details.condition_option_id, problems)
    if not problems:
        layout.questions[section].append(question)
        layout.propose(question, details.condition_option_id)
        _order_check(layout, question, problems)
    problems.raise_if_any()
    if kind == QuestionKind.YES_NO:
        question.options = yes_no_options()
    elif kind.has_options:
        question.options = _new_options(labels)
    question.areas = _areas(details.area_ids)
    question.actions = _actions(details.action_ids)
    db.session.add(question)
    _store_new(survey, layout, question, details.condition_option_id)
    audit.record(
        "survey.question_added",
        survey,
        actor=actor,
        summary=f"{survey.title}: {question.text}",
        detail={
            "question": question.id,
            "kind": kind.value,
            "section": section.id,
            "options": [o.label for o in question.options],
            "condition": details.condition_option_id,
        },
    )
    db.session.commit()
    return question


def update_question(
    actor: User, survey: Survey, question: SurveyQuestion, details: QuestionDetails
) -> list[str]:
    """Change a question's wording, settings, options, condition, links or section (moving it
    to the end of another section). Returns what changed. Commits.

    Options: wording can always be corrected; new ones are added at the end; one can be removed
    only while nobody has answered the survey and no condition uses it. A yes/no question keeps
    its two options."""
    kind = question.kind_enum
    problems = Problems()
    _check_question(kind, details, problems)
    layout = Layout(survey)
    responses = response_count(survey)

    # Options
    by_id = {o.id: o for o in question.options}
    relabel = {oid: label.strip() for oid, label in details.option_labels.items() if oid in by_id}
    remove = {oid for oid in details.remove_option_ids if oid in by_id}
    added = _clean_labels(details.new_options) if kind.has_options else []
    used = {rule.option.id for rule in layout.dependants([question]) if rule.option is not None}
    for number, option in enumerate(question.options, start=1):
        label = relabel.get(option.id, option.label)
        if option.id in remove:
            if kind == QuestionKind.YES_NO:
                problems.add(
                    f"remove_{option.id}", _("A yes or no question always has its two options")
                )
            elif responses:
                problems.add(f"remove_{option.id}", _responses_message())
            elif option.id in used:
                rules = [r for r in layout.dependants([question]) if r.option is option]
                problems.add(f"remove_{option.id}", _dependants_message(rules))
        elif not label:
            problems.add(
                f"option_{option.id}",
                _("Enter the wording of option %(number)d, or remove it", number=number),
            )
        elif len(label) > OPTION_MAX:
            problems.add(
                f"option_{option.id}",
                _("Each option must be %(max)d characters or fewer", max=OPTION_MAX),
            )
    if kind == QuestionKind.YES_NO and added:
        problems.add("options", _("A yes or no question always has its two options"))
    kept = [relabel.get(o.id, o.label) for o in question.options if o.id not in remove]
    if not any(name.startswith(("remove_", "option_")) for name, _message in problems.items):
        _check_options(kind, [label for label in kept if label] + added, problems)

    # Section, condition, order
    target_section = layout.section_of(question)
    if details.section_id is not None and details.section_id != question.section_id:
        target_section = next((s for s in layout.sections if s.id == details.section_id), None)
        if target_section is None:
            problems.add("section", _("Choose a section of this survey"))
    _check_condition(layout, question, details.condition_option_id, problems)
    if not problems:
        current = layout.section_of(question)
        if target_section is not current:
            layout.questions[current].remove(question)
            layout.questions[target_section].append(question)
        layout.propose(question, details.condition_option_id)
        _order_check(layout, question, problems)
    problems.raise_if_any()

    changed = audit.apply_changes(
        question,
        {
            "text": details.text.strip(),
            "hint": details.hint or "",
            "required": details.required,
            **_kind_fields(kind, details),
        },
    )
    option_changes = []
    for option in list(question.options):
        if option.id in remove:
            option_changes.append({"removed": option.label})
            question.options.remove(option)
        elif relabel.get(option.id, option.label) != option.label:
            option_changes.append({"from": option.label, "to": relabel[option.id]})
            option.label = relabel[option.id]
    for label in added:
        option_changes.append({"added": label})
        question.options.append(QuestionOption(label=label, translations={}))
    for position, option in enumerate(question.options, start=1):
        option.position = position
    if option_changes:
        changed["options"] = option_changes
    _relink(question, details.area_ids, details.action_ids, changed)
    if target_section is not question.section:
        changed["section"] = {"from": question.section_id, "to": target_section.id}
    layout.apply()
    _change_condition(survey, question, details.condition_option_id, changed)
    if changed:
        audit.record(
            "survey.question_changed",
            survey,
            actor=actor,
            summary=f"{survey.title}: {question.text}: {', '.join(changed)}",
            detail={"question": question.id, **changed},
        )
    db.session.commit()
    return list(changed)


def kind_change_blockers(
    survey: Survey, question: SurveyQuestion, responses: int | None = None
) -> list[str]:
    """Why a question's type cannot change at all (empty when it can)."""
    responses = response_count(survey) if responses is None else responses
    if responses:
        return [
            _(
                "People have already answered this survey, so the type of its questions cannot "
                "change: "
                "their answers would no longer fit. You can still correct the wording."
            )
        ]
    return []


def change_kind(
    actor: User, survey: Survey, question: SurveyQuestion, kind: QuestionKind, new_options=()
) -> bool:
    """Change the type of a question nobody has answered. Choice questions keep their options;
    a question that needs options and had none gets `new_options`; one that becomes yes/no gets
    "Yes" and "No".
    Returns False when the type is the same. Commits."""
    old = question.kind_enum
    if kind == old:
        return False
    blockers = kind_change_blockers(survey, question)
    if blockers:
        raise Refused(*(("kind", message) for message in blockers))
    layout = Layout(survey)
    problems = Problems()
    dependants = layout.dependants([question])
    # Choice questions keep their options (a yes/no question's become ordinary choices); a
    # question that becomes yes/no gets "Yes" and "No" instead of what it had.
    keeps = old.has_options and kind.has_options and kind != QuestionKind.YES_NO
    if dependants and (kind not in CONDITION_SOURCE_KINDS or not keeps):
        problems.add("kind", _dependants_message(dependants))
    labels = _clean_labels(new_options)
    if kind.has_options and kind != QuestionKind.YES_NO and not keeps:
        _check_options(kind, labels, problems)
    elif keeps:
        _check_options(kind, [o.label for o in question.options], problems, field_name="kind")
    problems.raise_if_any()
    if kind == QuestionKind.YES_NO:
        question.options = yes_no_options()
    elif not kind.has_options:
        question.options = []
    elif not keeps:
        question.options = _new_options(labels)
    question.kind = kind.value
    current = QuestionDetails(
        text=question.text,
        max_length=question.max_length,
        min_value=question.min_value,
        max_value=question.max_value,
        allow_other=question.allow_other,
    )
    for name, value in _kind_fields(kind, current).items():
        setattr(question, name, value)
    audit.record(
        "survey.question_type_changed",
        survey,
        actor=actor,
        summary=f"{survey.title}: {question.text}: {old.value} to {kind.value}",
        detail={
            "question": question.id,
            "from": old.value,
            "to": kind.value,
            "options": [o.label for o in question.options],
        },
    )
    db.session.commit()
    return True


def question_deletion_blockers(
    survey: Survey, question: SurveyQuestion, responses: int | None = None
) -> list[str]:
    responses = response_count(survey) if responses is None else responses
    reasons = []
    if responses:
        reasons.append(
            _(
                "People have already answered this survey, so its questions must stay: their "
                "answers "
                "point at them. You can still correct the wording."
            )
        )
    dependants = Layout(survey).dependants([question])
    if dependants:
        reasons.append(_dependants_message(dependants))
    return reasons


def delete_question(actor: User, survey: Survey, question: SurveyQuestion) -> None:
    """Delete a question nobody has answered and nothing depends on. Commits."""
    blockers = question_deletion_blockers(survey, question)
    if blockers:
        raise Refused(*(("", message) for message in blockers))
    layout = Layout(survey)
    own = layout.rules.get(question)
    if own is not None and own.condition is not None:
        survey.conditions.remove(own.condition)
    section = layout.section_of(question)
    layout.questions[section].remove(question)
    section.questions.remove(question)  # delete-orphan: the question and its options go
    layout.apply()
    audit.record(
        "survey.question_deleted",
        survey,
        actor=actor,
        summary=f"{survey.title}: {question.text}",
        detail={"question": question.id, "kind": question.kind, "text": question.text},
    )
    db.session.commit()


def move_question(actor: User, survey: Survey, question: SurveyQuestion, direction: str) -> bool:
    """Move a question one place up or down. From the top of a section it goes to the end of
    the section before; from the bottom, to the start of the next. Returns False when there is
    nowhere to go. Commits."""
    if direction not in ("up", "down"):
        return False
    layout = Layout(survey)
    section = layout.section_of(question)
    s_index = layout.sections.index(section)
    questions = layout.questions[section]
    index = questions.index(question)
    if direction == "up":
        if index > 0:
            questions[index - 1], questions[index] = questions[index], questions[index - 1]
        elif s_index > 0:
            questions.remove(question)
            layout.questions[layout.sections[s_index - 1]].append(question)
        else:
            return False
    else:
        if index < len(questions) - 1:
            questions[index + 1], questions[index] = questions[index], questions[index + 1]
        elif s_index < len(layout.sections) - 1:
            questions.remove(question)
            layout.questions[layout.sections[s_index + 1]].insert(0, question)
        else:
            return False
    _apply_order(layout)
    audit.record(
        "survey.question_moved",
        survey,
        actor=actor,
        summary=f"{survey.title}: {question.text} {direction}",
        detail={
            "question": question.id,
            "direction": direction,
            "position": question.position,
            "section": question.section.id,
        },
    )
    db.session.commit()
    return True
