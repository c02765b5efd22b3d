"""Action plans' kinds of record, and the migrations that made their tables.

A school's **plan** has **priorities** (from a review's EBI, a framework area or the school's own),
each with **actions**; an action has **success criteria** and dated **progress updates** (which
carry its RAG rating over time); **impact reviews** check what changed; **responses** record what
the improvement workshop decided about each EBI of a review; **support** is what the partnership
brokered or commissioned for the school. Every record names its school, so a bundle of chosen
schools carries their plans.
"""

from __future__ import annotations

from typing import Any

from peerreview.sync.kinds import FieldSpec, FieldType, Kind
from peerreview.sync.schema import CreateIndex, CreateKindTable, Migration, integer, text

T, I, B, D, R, J = (  # noqa: E741 - short names keep the kind tables below readable
    FieldType.TEXT,
    FieldType.INTEGER,
    FieldType.BOOLEAN,
    FieldType.DATE,
    FieldType.REF,
    FieldType.JSON,
)


def _f(name: str, t: FieldType = FieldType.TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(name, t, **kw)


# The words people read for the values stored (the rules' enums in plans.py say the same: a test
# keeps them together; they are here so that opening a store does not load the rules).
PLAN_STATUSES = (("draft", "Draft"), ("agreed", "Agreed"))
ACTION_STATUSES = (
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("complete", "Complete"),
    ("stopped", "Stopped"),
)
RAGS = (("red", "Red"), ("amber", "Amber"), ("green", "Green"))
CRITERION_STATUSES = (
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("not_met", "Not met"),
    ("partially_met", "Partially met"),
    ("met", "Met"),
)
SOURCES = (
    ("ebi", "From a peer review"),
    ("framework", "A framework area"),
    ("own", "The school's own"),
)
IMPACTS = (
    ("strong", "Strong impact"),
    ("some", "Some impact"),
    ("little", "Little or no impact yet"),
    ("too_early", "Too early to say"),
)
PROVIDER_TYPES = (
    ("partner_school", "A partner school"),
    ("specialist", "A specialist"),
    ("external", "An external organisation"),
)
SUPPORT_STATUSES = (
    ("proposed", "Proposed"),
    ("agreed", "Agreed"),
    ("under_way", "Under way"),
    ("complete", "Complete"),
)
RESPONSES = (
    ("priority", "A priority in the plan"),
    ("action", "An action in the plan"),
    ("no_action", "No action: reason recorded"),
)
CADENCES = (("termly", "Termly"), ("half_termly", "Half-termly"), ("monthly", "Monthly"))
#: kept by the app: the order of a list, and links the workshop and the rules make
_KEPT: dict[str, Any] = {"editable": False}


PLAN = Kind(
    "plan",
    "action plan",
    (
        _f("school", R, ref_kind="school"),
        _f("title"),
        _f("school_year", label="school year"),
        _f("status", choices=PLAN_STATUSES),
        _f("review", R, ref_kind="review", label="peer review it answers", **_KEPT),
        _f("workshop_on", D, label="improvement workshop"),
        _f("agreed_on", D, label="date agreed"),
        _f("agreed_by", label="agreed by", personal=True),
        _f("summary"),
        _f("updates", label="progress updates", choices=CADENCES),
    ),
    school_field="school",
    owned_by=("school",),
    indexes=("school",),
)

PRIORITY = Kind(
    "priority",
    "priority",
    (
        _f("plan", R, ref_kind="plan", **_KEPT),
        _f("school", R, ref_kind="school"),
        _f("title"),
        _f("description"),
        _f("source", choices=SOURCES),
        _f("review", R, ref_kind="review", label="peer review", **_KEPT),
        _f("area", label="framework area", **_KEPT),
        _f("area_title", label="framework area"),
        _f("ebi", R, ref_kind="area_view", label="even better if", **_KEPT),
        _f("position", I, **_KEPT),
        _f("tags", J, label="themes"),
    ),
    school_field="school",
    owned_by=("plan",),
    indexes=("plan", "school"),
    plural="priorities",
)

ACTION = Kind(
    "action",
    "action",
    (
        _f("priority", R, ref_kind="priority", **_KEPT),
        _f("plan", R, ref_kind="plan", **_KEPT),
        _f("school", R, ref_kind="school"),
        _f("title", label="action"),
        _f("owner", R, ref_kind="person"),
        _f("owner_role", label="owner's role"),
        _f("supporters", J),
        _f("start_date", D, label="start date"),
        _f("due_date", D, label="due date"),
        _f("resources", label="resources"),
        _f("cost", I, label="cost (£)"),
        _f("milestones", J),
        _f("status", choices=ACTION_STATUSES),
        _f("completed_on", D, label="date completed"),
        _f("rag", label="RAG rating", choices=RAGS),
        _f("ebi", R, ref_kind="area_view", label="even better if", **_KEPT),
        _f("position", I, **_KEPT),
    ),
    school_field="school",
    date_ranges=(("start_date", "due_date"),),
    owned_by=("priority",),
    indexes=("priority", "plan", "school"),
)

CRITERION = Kind(
    "criterion",
    "success criterion",
    (
        _f("action", R, ref_kind="action", **_KEPT),
        _f("school", R, ref_kind="school"),
        _f("text", label="success criterion"),
        _f("status", choices=CRITERION_STATUSES),
        _f("position", I, **_KEPT),
    ),
    school_field="school",
    owned_by=("action",),
    indexes=("action",),
    plural="success criteria",
)

PROGRESS_UPDATE = Kind(
    "progress_update",
    "progress update",
    (
        _f("action", R, ref_kind="action", **_KEPT),
        _f("school", R, ref_kind="school"),
        _f("date", D),
        _f("author_name", label="written by", personal=True),
        _f("author_role", label="role"),
        _f("rag", label="RAG rating", choices=RAGS),
        _f("status", choices=ACTION_STATUSES),
        _f("text", label="what changed"),
        _f("next_steps", label="next steps"),
        _f("evidence", J, label="evidence linked"),
    ),
    school_field="school",
    owned_by=("action",),
    indexes=("action", "school"),
)

IMPACT_REVIEW = Kind(
    "impact_review",
    "impact review",
    (
        _f("plan", R, ref_kind="plan", **_KEPT),
        _f("priority", R, ref_kind="priority", **_KEPT),
        _f("action", R, ref_kind="action", **_KEPT),
        _f("school", R, ref_kind="school"),
        _f("date", D),
        _f("reviewer", R, ref_kind="person"),
        _f("reviewer_name", label="reviewed by", personal=True),
        _f("reviewer_role", label="reviewer's role"),
        _f("impact", choices=IMPACTS),
        _f("what_changed", label="what changed"),
        _f("next_steps", label="next steps"),
        _f("evidence", J, label="evidence linked"),
    ),
    school_field="school",
    owned_by=("plan", "priority", "action"),
    indexes=("plan", "school"),
)

EBI_RESPONSE = Kind(
    "ebi_response",
    "response to an EBI",
    (
        _f("review", R, ref_kind="review", **_KEPT),
        _f("area", **_KEPT),
        _f("ebi", R, ref_kind="area_view", label="even better if", **_KEPT),
        _f("school", R, ref_kind="school"),
        _f("plan", R, ref_kind="plan", **_KEPT),
        _f("response", choices=RESPONSES),
        _f("priority", R, ref_kind="priority", **_KEPT),
        _f("action", R, ref_kind="action", **_KEPT),
        _f("reason", label="reason for not acting"),
        _f("responded_on", D, label="date"),
    ),
    school_field="school",
    owned_by=("review", "priority", "action"),
    indexes=("review", "school"),
    plural="responses to EBIs",
)

SUPPORT = Kind(
    "support",
    "support arrangement",
    (
        _f("school", R, ref_kind="school", label="school supported"),
        _f("plan", R, ref_kind="plan", **_KEPT),
        _f("priority", R, ref_kind="priority", **_KEPT),
        _f("provider_type", label="kind of provider", choices=PROVIDER_TYPES),
        _f("provider_school", R, ref_kind="school", label="partner school"),
        _f("provider", label="provider"),
        _f("purpose"),
        _f("start_date", D, label="start date"),
        _f("end_date", D, label="end date"),
        _f("cost", I, label="cost (£)"),
        _f("status", choices=SUPPORT_STATUSES),
        _f("impact", label="evaluated impact"),
        _f("impact_rating", label="impact", choices=IMPACTS),
        _f("feedback", label="the school's feedback"),
    ),
    school_field="school",
    date_ranges=(("start_date", "end_date"),),
    owned_by=("school",),
    indexes=("school",),
)

KINDS: tuple[Kind, ...] = (
    PLAN,
    PRIORITY,
    ACTION,
    CRITERION,
    PROGRESS_UPDATE,
    IMPACT_REVIEW,
    EBI_RESPONSE,
    SUPPORT,
)

# ------------------------------------------------------------------------------ migrations
# Written out in full, as they were made: never edit one; add the next.

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "Action plans: plans, priorities, actions, success criteria, progress updates, impact "
        "reviews, responses to EBIs, support",
        (
            CreateKindTable(
                "plan",
                text(
                    "school",
                    "title",
                    "school_year",
                    "status",
                    "review",
                    "workshop_on",
                    "agreed_on",
                    "agreed_by",
                    "summary",
                    "updates",
                ),
            ),
            CreateKindTable(
                "priority",
                text(
                    "plan",
                    "school",
                    "title",
                    "description",
                    "source",
                    "review",
                    "area",
                    "area_title",
                    "ebi",
                )
                + integer("position")
                + text("tags"),
            ),
            CreateKindTable(
                "action",
                text(
                    "priority",
                    "plan",
                    "school",
                    "title",
                    "owner",
                    "owner_role",
                    "supporters",
                    "start_date",
                    "due_date",
                    "resources",
                )
                + integer("cost")
                + text("milestones", "status", "completed_on", "rag", "ebi")
                + integer("position"),
            ),
            CreateKindTable(
                "criterion", text("action", "school", "text", "status") + integer("position")
            ),
            CreateKindTable(
                "progress_update",
                text(
                    "action",
                    "school",
                    "date",
                    "author_name",
                    "author_role",
                    "rag",
                    "status",
                    "text",
                    "next_steps",
                    "evidence",
                ),
            ),
            CreateKindTable(
                "impact_review",
                text(
                    "plan",
                    "priority",
                    "action",
                    "school",
                    "date",
                    "reviewer",
                    "reviewer_name",
                    "reviewer_role",
                    "impact",
                    "what_changed",
                    "next_steps",
                    "evidence",
                ),
            ),
            CreateKindTable(
                "ebi_response",
                text(
                    "review",
                    "area",
                    "ebi",
                    "school",
                    "plan",
                    "response",
                    "priority",
                    "action",
                    "reason",
                    "responded_on",
                ),
            ),
            CreateKindTable(
                "support",
                text(
                    "school",
                    "plan",
                    "priority",
                    "provider_type",
                    "provider_school",
                    "provider",
                    "purpose",
                    "start_date",
                    "end_date",
                )
                + integer("cost")
                + text("status", "impact", "impact_rating", "feedback"),
            ),
            CreateIndex("plan", ("school",)),
            CreateIndex("priority", ("plan",)),
            CreateIndex("priority", ("school",)),
            CreateIndex("action", ("priority",)),
            CreateIndex("action", ("plan",)),
            CreateIndex("action", ("school",)),
            CreateIndex("criterion", ("action",)),
            CreateIndex("progress_update", ("action",)),
            CreateIndex("progress_update", ("school",)),
            CreateIndex("impact_review", ("plan",)),
            CreateIndex("impact_review", ("school",)),
            CreateIndex("ebi_response", ("review",)),
            CreateIndex("ebi_response", ("school",)),
            CreateIndex("support", ("school",)),
        ),
    ),
)
