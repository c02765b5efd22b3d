"""Build the sample peer review report by hand and render it to PDF, Word and PNG pages.

Run from the repository root:

    .venv/bin/python docs/report-samples/make.py

Writes sample-review.pdf, sample-review.docx, sample-review-1.png (the cover) and
sample-review-3.png (the first framework area) beside this file. Where LibreOffice is
installed it also opens the Word file, converts it to PDF and writes sample-review-docx-1.png
and sample-review-docx-3.png. The report model is made by hand here, with the kinds of text
teachers really type (markup-like text, ampersands, Welsh, accented names, emoji, control
characters pasted from other programs, and one very long evidence note).
"""

from __future__ import annotations

import datetime
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from peerreview.reports import (  # noqa: E402
    Block,
    BulletList,
    Callout,
    Heading,
    Judgement,
    KeyValues,
    Note,
    PageBreak,
    Paragraph,
    Report,
    SignOff,
    Table,
    render_docx,
    render_pdf,
)

ESTIMATES = ("Leading", "Effective", "Working towards effective", "Ineffective")
HOSTILE = '<b>not bold</b> & "quotes" <script>alert(1)</script> x < y'

_SENTENCES = (
    "Pupils in the Year 8 mathematics lesson explained their reasoning to a partner before "
    "writing, and most could say why a method worked as well as how.",
    "The host leader and the reviewer agreed that questioning drew in pupils who had not put "
    "their hands up, using mini-whiteboards and cold calling without fuss.",
    "In books, feedback from the previous fortnight had been acted on: corrections were made in "
    "green pen and teachers had checked them.",
    "Pupils with SEND in the learning support base were working on the same text as their class, "
    "with a teaching assistant pre-teaching the key vocabulary.",
    "The reading age data shared by the literacy lead showed the tutor-time reading programme had "
    "lifted the weakest readers in Year 7 by an average of fourteen months.",
    "Routines at the start of lessons were consistent across the corridor: a retrieval task on the "
    "board, books out, and the register taken while pupils worked.",
    "Pupils we spoke to at lunch said they knew who to talk to if they were worried, and named the "
    "heads of year and the student support officer.",
    "The design and technology workshop was calm and purposeful; Year 10 pupils used the "
    "specialist vocabulary accurately when they described their prototypes.",
    "Some tasks in the Year 9 humanities lessons asked pupils to copy from slides, and the level "
    "of challenge for the most able was lower than in other subjects.",
    "Governors described how they test what leaders tell them by visiting with a focus agreed in "
    "advance and reporting back to the full governing board.",
    "Attendance of disadvantaged pupils has risen this year, although persistent absence in Year 9 "
    "remains higher than the school's target.",
    "Middle leaders said the new curriculum maps had made sequencing clearer and that departmental "
    "time is now protected for planning together.",
)


def _evidence_text(words: int, seed: int) -> str:
    """A long, realistic running record of a visit (about ``words`` words, in paragraphs)."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [rng.choice(_SENTENCES) for _ in range(rng.randint(3, 6))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def build_report() -> Report:
    """The sample review of Coundon Court School, made by hand (real ones come from the store)."""
    long_note = (
        "Running record of the day-1 learning walk (typed up by Zoë Ní Bhriain).\n\n"
        + _evidence_text(5000, seed=7)
    )
    areas = (
        (
            "Leadership at all levels",
            "Effective",
            "Leading",
            "Senior leaders have a clear, shared view of the school's priorities. The "
            "curriculum review has been led by middle leaders, with time protected each "
            "half term. Governors challenge as well as support.",
            (
                (
                    "3 Mar, 09:10",
                    "Meeting with leaders",
                    "Headteacher and deputy headteacher set out the school's self-evaluation and "
                    "the three priorities; leaders knew the weaker areas as well as the strengths.",
                ),
                (
                    "3 Mar, 11:30",
                    "Middle leaders' meeting",
                    "Heads of English, maths and science described how curriculum maps are "
                    "sequenced; minutes show follow-up from the autumn review. " + HOSTILE,
                ),
                (
                    "4 Mar, 08:30",
                    "Governors",
                    "Chair and vice-chair of governors: visits are focused and reported back; "
                    "they could give examples of questions that changed a decision.",
                ),
                ("3 Mar, 13:40", "Learning walk", long_note),
            ),
            "Leaders at every level spoke with one voice about the priorities, and the evidence "
            "from lessons, books and meetings matched what they told us. Middle leaders are "
            "driving the curriculum work themselves. The team and the host agreed the school is "
            "already Leading in parts of this area, but the estimate is Effective while the "
            "newer middle leaders are still developing.",
            "Middle leaders own the curriculum review and can explain the reasons for their "
            "sequencing.\nGovernors' visits are focused, and their reports lead to action.",
            "Newer middle leaders had the same structured coaching as the established team, so "
            "that quality assurance is as sharp in every department.",
        ),
        (
            "Quality of provision and outcomes",
            "Effective",
            "Effective",
            "Teaching is consistently good across most subjects; retrieval practice is now "
            "routine. Outcomes in 2025 were above national averages in English and maths.",
            (
                (
                    "3 Mar, 10:00",
                    "Lesson visit, Y8 maths",
                    "Pupils explained their reasoning to a partner; the teacher used "
                    "mini-whiteboards to check every pupil. x < y was worked through as an "
                    "inequality on a number line.",
                ),
                (
                    "3 Mar, 14:20",
                    "Work scrutiny, Y9 humanities",
                    "Feedback acted on in most books; some tasks were copying from slides, "
                    "with less challenge for the most able.",
                ),
                (
                    "4 Mar, 10:50",
                    "Pupil voice, Y10",
                    'Pupils said lessons are calm; "teachers don\'t let you give up". One pupil '
                    "mentioned their exchange with Ysgol Gymraeg Bro Dafydd \u2014 \u0175 \u0177 "
                    "\U0001f600.",
                ),
            ),
            "Lessons we visited were calm and purposeful, and routines were consistent from "
            "room to room. Pupils' work shows secure progress over time in most subjects. The "
            "team and the host agreed Effective: challenge for the most able is not yet as "
            "strong in humanities as elsewhere.",
            "Routines at the start of lessons are consistent, so no learning time is lost.\n"
            "Questioning draws in every pupil, not just those with their hands up.",
            "Tasks in Year 9 humanities stretched the most able as well as they do in English "
            "and science.",
        ),
        (
            "Provision and outcomes for disadvantaged pupils and pupils with additional needs",
            "Working towards effective",
            "Effective",
            "The school judged this area Effective: the reading programme has worked well, "
            "and SEND pupils are taught the same curriculum with support.",
            (
                (
                    "4 Mar, 09:15",
                    "Data review",
                    "Attendance of disadvantaged pupils is up 2.1 points on last year; persistent "
                    "absence in Year 9 remains high (Zoë Ní Bhriain & the attendance lead).",
                ),
                (
                    "4 Mar, 11:40",
                    "Learning support base",
                    "Pupils with SEND worked on the class text with vocabulary pre-taught "
                    "\U0001f389; the SENCo tracks the impact of each intervention.",
                ),
            ),
            "The reading programme is a real strength, and SEND pupils follow the full "
            "curriculum. The team and the host agreed Working towards effective because "
            "persistent absence among disadvantaged pupils in Year 9 is still high, and the "
            "school does not yet know which of its attendance actions is making the "
            "difference.",
            "The tutor-time reading programme has lifted the weakest readers in Year 7 by "
            "fourteen months on average.",
            "Attendance actions for disadvantaged pupils in Year 9 were evaluated half-termly, "
            "so that the school keeps what works and stops what does not.",
        ),
    )

    blocks: list[Block] = [
        Heading("About this review", 1),
        Paragraph(
            "Coundon Court School hosted a two-day peer review on 3 and 4 March 2026. The "
            "review team of three senior leaders from partner schools worked alongside the "
            "school's own leaders throughout: every lesson visit, work scrutiny and meeting "
            "was done jointly.\n\nThe review is developmental. It is owned by the school, "
            "which decides who sees it. Estimates are the team's and the host's agreed view on "
            "the day, not an inspection grade."
        ),
        KeyValues(
            (
                ("Framework", "Estimates: three headings on a four-point scale"),
                (
                    "Focus",
                    "To what extent does the curriculum stretch the most able in Key Stage 3?",
                ),
                (
                    "Activities",
                    "11 lesson visits, 2 learning walks, 3 work scrutinies, pupil voice "
                    "with 18 pupils, meetings with leaders, middle leaders and governors",
                ),
                ("Evidence base", "38 evidence notes, recorded jointly by host and reviewers"),
            )
        ),
        Heading("Context", 2),
        Paragraph(
            "Coundon Court is a larger-than-average 11\u201318 comprehensive in Coventry with "
            "1,650 pupils, 210 in the sixth form. Around a quarter of pupils are disadvantaged; "
            "the proportion with an EHC plan is in line with national. The school joined the "
            "partnership in 2023 and this is its second review."
        ),
        Heading("Summary of estimates", 2),
        Table(
            ("Area", "School's self-evaluation", "Agreed estimate"),
            tuple((area[0], area[2], area[1]) for area in areas),
            widths=(3, 1.4, 1.4),
        ),
        Note(
            "Agreed estimate: the review team's and the host school's agreed view at the end "
            "of the visit, in dialogue; it is not an inspection grade."
        ),
    ]
    for number, (name, agreed, self_est, self_text, notes, rationale, www, ebi) in enumerate(
        areas, start=1
    ):
        blocks += [
            PageBreak(),
            Heading(f"{number}. {name}", 1),
            Heading("Self-evaluation", 2),
            KeyValues((("School's own estimate", self_est),)),
            Paragraph(self_text),
            Heading("Evidence summary", 2),
            Table(("When", "Activity", "What we saw and heard"), notes, widths=(1.1, 1.5, 5)),
            Heading("Agreed estimate", 2),
            Judgement(name, agreed, ESTIMATES, rationale),
            Callout("What went well", www, "strength"),
            Callout("Even better if", ebi, "development"),
        ]
        if number == 1:
            blocks.append(
                Callout(
                    "Area of Excellence the school offers to share",
                    "Middle leaders' curriculum review: the school will host a half-day for other "
                    "partnership schools in the summer term.",
                    "info",
                )
            )
    blocks += [
        PageBreak(),
        Heading("Areas of Excellence", 1),
        Paragraph("The school offers to share these with other schools in the partnership:"),
        BulletList(
            (
                "Middle leaders' curriculum review, led by heads of department with protected "
                "time.",
                "The tutor-time reading programme for Year 7 and Year 8.\nContact: Ms Rhian "
                "Llywelyn, literacy lead.",
            )
        ),
        Heading("Next steps", 1),
        BulletList(
            (
                "Improvement workshop with the partnership coordinator in the summer term, to turn "
                "the Even better ifs into actions with owners and dates.",
                "Impact review in spring 2027, starting from this review's Even better ifs.",
            )
        ),
        Heading("Sign-off", 1),
        Paragraph(
            "We agree that this report is a fair record of the review and of the "
            "estimates agreed between the review team and the host school."
        ),
        SignOff(
            (
                ("Mrs Anita Patel", "Lead reviewer, Finham Park School"),
                ("Zoë Ní Bhriain", "Reviewer, Ysgol Gymraeg Bro Dafydd"),
                ("Mr Daniel O'Connor", "Headteacher, Coundon Court School"),
            )
        ),
        Note(
            "Generated by PeerReview from the review record. Text pasted from other programs "
            "is printed as typed\x07, with control characters removed."
        ),
    ]
    return Report(
        title="Peer review report",
        subtitle="Review visit, 3 and 4 March 2026",
        school_name="Coundon Court School",
        partnership_name="Coventry Schools Partnership",
        audience="For the host school's leaders and governors",
        confidentiality="Confidential: shared only as the host school decides. "
        "Developmental, not for accountability.",
        cover_facts=(
            ("School", "Coundon Court School, Coventry (URN 137139)"),
            ("Review dates", "3 and 4 March 2026"),
            ("Framework", "Estimates (three headings, four-point scale)"),
            ("Lead reviewer", "Mrs Anita Patel, Headteacher, Finham Park School"),
            (
                "Review team",
                "Zoë Ní Bhriain, Ysgol Gymraeg Bro Dafydd\n"
                "Mr Tomasz Wiśniewski, Deputy Headteacher, Caludon Castle School",
            ),
            ("Host link leader", "Mrs Claire Hughes, Deputy Headteacher"),
            ("Sharing", "Host school and the partnership coordinator"),
            ("Status", "Agreed with the host school on 11 March 2026"),
        ),
        blocks=tuple(blocks),
        generated_on=datetime.date(2026, 3, 12),
    )


def png_page(pdf: Path, page: int, stem: str, resolution: int = 60) -> None:
    """Page ``page`` of ``pdf`` as ``stem``.png beside this script (pdftoppm)."""
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(resolution),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(HERE / stem),
        ],
        check=True,
    )


def main() -> None:
    report = build_report()
    pdf = HERE / "sample-review.pdf"
    docx = HERE / "sample-review.docx"
    render_pdf(report, pdf)
    render_docx(report, docx)
    for page in (1, 3):
        png_page(pdf, page, f"sample-review-{page}")
    print("Wrote", pdf.name, docx.name, "and PNGs of PDF pages 1 and 3")
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        print("LibreOffice is not installed: the Word file was not opened and checked.")
        return
    # Open the Word file in another word processor: it must convert, and look like the PDF.
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", folder, str(docx)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        converted = Path(folder) / "sample-review.pdf"
        for page in (1, 3):
            png_page(converted, page, f"sample-review-docx-{page}")
        pages = len(PdfReader(converted).pages)
    print(f"LibreOffice opened the Word file: {pages} pages; PNGs of pages 1 and 3 written")


if __name__ == "__main__":
    main()
