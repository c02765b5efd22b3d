"""What the demo's lesson-study teams wrote: four cycles' worth of plans, predictions and notes.

Each theme is one real-looking Research Lesson Study: a focus and research question, five stages
of a research lesson, what the team predicted each kind of case pupil would do at each stage, what
observers saw and heard, interview answers, the discussion and what the team learned.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    title: str
    timing: str
    activity: str
    anticipated: str
    support: str
    evaluate: str


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    subject: str
    year_group: str
    secondary: bool
    focus: str
    concern: str
    research_question: str
    objective: str
    success_criteria: str
    stages: tuple[Stage, ...]
    #: per case pupil (higher, middle, lower attaining) and stage: the predicted response
    predictions: tuple[tuple[str, ...], ...]
    #: what observers saw, per case pupil
    seen: tuple[tuple[str, ...], ...]
    quotes: tuple[str, ...]
    answers: tuple[tuple[str, ...], ...]  # per question, per case pupil
    evidence: tuple[str, ...]  # the discussion's evidence, per case pupil
    remarks: str
    teaching: str
    final_comments: str
    changes: tuple[str, ...]  # after RL1, RL2, RL3
    learned: tuple[str, str, str, str]  # pupils, subject, teaching, working together
    others_try: str
    what_changed: tuple[str, ...]  # per case pupil


GROUPS = (
    ("Higher attaining", "can follow a method accurately but rarely explain why it works"),
    ("Middle attaining", "make a good start but lose track when a task has more than two steps"),
    (
        "Disadvantaged",
        "are quiet in whole-class talk and often wait to be shown what to do before starting",
    ),
)

FRACTIONS = Theme(
    key="fractions",
    title="Reasoning about fractions of amounts",
    subject="Mathematics",
    year_group="Year 5",
    secondary=False,
    focus="We want to learn how to improve the way we teach fractions of amounts so that pupils "
    "reason with a bar model and can explain their answer, rather than guessing a method.",
    concern="In the autumn assessment, 61% of Year 5 could find 3/4 of 24, but only 22% could "
    "solve a two-step word problem with fractions of amounts. In books, pupils divide and "
    "multiply without saying why.",
    research_question="How can we use the bar model so that pupils reason about fractions of "
    "amounts in two-step problems?",
    objective="To find a fraction of an amount using a bar model, and explain each step.",
    success_criteria="I can draw a bar to show the whole and split it into equal parts.\n"
    "I can say what one part is worth and use it to find several parts.\n"
    "I can explain my answer to a partner using the bar.",
    stages=(
        Stage(
            "Hook",
            "5 minutes",
            "A picture of 24 cupcakes: three quarters have been eaten. How many are left? "
            "Pairs talk, then show on whiteboards.",
            "Some pupils say 6 straight away; some try to count in quarters on fingers.",
            'Cupcake picture on the board; sentence stem "The whole is ...".',
            "Do pupils identify the whole before calculating?",
        ),
        Stage(
            "Modelling",
            "10 minutes",
            "Teacher draws a bar for 24, splits it into 4 equal parts, thinks aloud: what is one "
            "part worth? Key question: how do you know the parts are equal?",
            "Most follow the drawing; a few ask why we divide by 4.",
            'Bar drawn large with the parts labelled; the word "equal" in colour.',
            "Can pupils say what one part is worth and why?",
        ),
        Stage(
            "Paired practice",
            "15 minutes",
            "Pairs solve four problems of rising difficulty with a bar for each. Key question: "
            "which part of the bar answers the question?",
            "Pupils draw bars but some do not make the parts equal.",
            "Squared paper; bars pre-drawn for the first problem; TA with the target group.",
            "Are the bars accurate? Do pupils label the parts?",
        ),
        Stage(
            "Two-step problem",
            "15 minutes",
            '"Sam had 40 stickers and gave away 3/8. Then he gave half of the rest to his '
            'sister." Pupils decide how to draw it.',
            "Many find 3/8 of 40 but stop there.",
            'Prompt card: "What is the whole now?"',
            "Do pupils see that the whole changes in the second step?",
        ),
        Stage(
            "Plenary",
            "5 minutes",
            'Two pairs explain their bars to the class; everyone writes one sentence: "A bar '
            'helps me because ...".',
            "Pupils repeat the teacher's words rather than explaining.",
            "Sentence stems on the board.",
            "Can pupils explain a step in their own words?",
        ),
    ),
    predictions=(
        (
            "Will say 6 quickly without drawing anything.",
            "Will follow easily and finish before the others.",
            "Will solve all four problems correctly, drawing bars only when asked.",
            "Will find 3/8 of 40 and the half of the rest, but explain only the calculation.",
            'Will explain clearly, using "the whole" correctly.',
        ),
        (
            "Will start counting in quarters on fingers and need the stem to begin.",
            "Will copy the drawing accurately but not say why we divide by 4.",
            "Will draw bars for the first two problems, then stop drawing.",
            "Will find 3/8 of 40 and stop there, treating it as the answer.",
            "Will use the sentence stem with some of the teacher's words.",
        ),
        (
            "Will wait for a partner to answer and write nothing on the whiteboard.",
            "Will watch but not ask; may lose track when the parts are labelled.",
            "Will need the TA to start; will draw unequal parts.",
            "Will not start without the prompt card; may try to divide 40 by 3.",
            'Will not volunteer; may write "it helps me" without a reason.',
        ),
    ),
    seen=(
        (
            "Drew a bar without being asked and labelled each part 6.",
            'Explained to her partner that the parts must be equal "or it isn\'t quarters".',
            "Finished the four problems in 9 minutes, all with bars, then checked her partner's.",
            "Found 15 stickers given away, then drew a second bar for the 25 left: the only "
            "pupil to redraw the whole.",
            "Corrected her partner: \"you can't halve 40, it's half of what's left\".",
        ),
        (
            "Counted on fingers first, then looked at her partner's board and drew a bar.",
            'Copied the bar neatly; asked "is it always divide by the bottom number?".',
            "Drew bars for all four problems: the squared paper helped her make equal parts.",
            "Found 15, wrote it as the answer, then rubbed it out when she read the prompt card.",
            'Used the stem: "A bar helps me because I can see what the whole is".',
        ),
        (
            "Wrote 24 ÷ 3 on the whiteboard and then rubbed it out.",
            "Watched closely; pointed at the parts as the teacher labelled them.",
            "Drew equal parts on squared paper after the TA showed the first one; two correct.",
            "Drew a bar for 40 without the prompt card and split it into 8: unexpected.",
            'Wrote "it helps me because I can count the boxes": his own words.',
        ),
    ),
    quotes=(
        "The whole is 24 so each bit is 6.",
        "Why does the bar have to be the same size each time?",
        "Oh, the whole changes! It's only 25 now.",
        "I did it in my head but the bar proves it.",
        "Can I draw it first before I do the sum?",
    ),
    answers=(
        (
            "How to use a bar to find fractions of things.",
            "Drawing bars and finding the whole.",
            "The bar. You count the boxes.",
        ),
        (
            "The two-step one was good because you had to think.",
            "The prompt card helped me. The sticker one was hard.",
            "The squared paper so my boxes were the same.",
        ),
        (
            "Give us harder ones at the end.",
            "More time for the sticker question.",
            "Let us draw it on the big whiteboard.",
        ),
    ),
    evidence=(
        "Pupil A was ahead of the prediction: she drew bars unprompted and was the only pupil to "
        "redraw the whole in the two-step problem.",
        "Pupil B drew bars throughout once she had squared paper; as predicted she stopped after "
        "the first step, but corrected herself with the prompt card.",
        "Pupil C did far better than we predicted once he had squared paper: he drew equal parts "
        "and started the two-step problem on his own.",
    ),
    remarks="The hook took longer than planned because pairs wanted to argue about the whole. I "
    "cut the fourth practice problem to keep time for the two-step question.",
    teaching='Squared paper made the biggest difference to equal parts; the prompt card "What is '
    'the whole now?" worked for Pupil B and others like her.',
    final_comments="The most important moment was Pupil C drawing his own bar for 40. The "
    "evidence says the barrier was the drawing, not the reasoning. Keep asking what the whole "
    "is at every step, and let pupils choose when to draw.",
    changes=(
        'Start with squared paper for everyone. Put "What is the whole now?" on the board, not '
        "on a card. Give the two-step problem 20 minutes and cut the paired practice to three "
        "problems.",
        "Let pupils choose between a bar and a number line, and ask them to explain the choice. "
        "Add a third step to the problem for pupils like Pupil A.",
        "Plan a follow-up lesson where pupils write their own two-step problems for a partner.",
    ),
    learned=(
        "Pupils like Pupil C could reason about the whole once drawing equal parts was easy; what "
        "we took for weak reasoning was often weak drawing.",
        "The hardest idea is that the whole changes in a two-step problem; the bar makes it "
        "visible if pupils redraw it.",
        'Asking "What is the whole now?" at every step did more than any worked example.',
        "Predicting each case pupil's response made us plan for three pupils, not for the "
        "middle; observing them showed us how wrong some of our predictions were.",
    ),
    others_try='Give every pupil squared paper for bar models, and ask "What is the whole now?" '
    "after each step of a problem. Watch the pupils you think will struggle: they may surprise "
    "you.",
    what_changed=(
        "Now explains steps to a partner and chooses between a bar and a number line.",
        "Redraws the whole for each step without the prompt card.",
        "Starts problems on his own and draws accurate bars; volunteered an answer in RL3.",
    ),
)

INFERENCE = Theme(
    key="inference",
    title="Inference in guided reading",
    subject="English",
    year_group="Year 4",
    secondary=False,
    focus="We want to learn how to improve the way we teach inference so that pupils use "
    "evidence from the text to explain what a character feels, not only what happens.",
    concern="Reading assessments show most Year 4 pupils can retrieve facts but few explain a "
    'character\'s feelings with evidence. Pupil voice: "inference is guessing".',
    research_question="How can modelled think-alouds help pupils use evidence from the text to "
    "infer characters' feelings?",
    objective="To infer how a character feels and explain it with evidence from the text.",
    success_criteria="I can say how the character feels.\nI can point to the words that tell "
    "me.\nI can explain how those words show the feeling.",
    stages=(
        Stage(
            "Picture inference",
            "5 minutes",
            "A picture of a boy at a window in the rain. How does he feel? How do you know?",
            "Pupils name a feeling; few give a reason.",
            "Feelings word bank on tables.",
            "Do pupils give a reason with the feeling?",
        ),
        Stage(
            "Think-aloud",
            "10 minutes",
            'Teacher reads the opening of "The Iron Man" aloud and thinks aloud about Hogarth\'s '
            "feelings, underlining evidence.",
            "Pupils listen; some start underlining too.",
            "Text on the visualiser; underlining in one colour.",
            "Do pupils notice the words the teacher underlines?",
        ),
        Stage(
            "Paired reading",
            "15 minutes",
            'Pairs read the next page, underline evidence, and complete "I think ... because '
            'the text says ...".',
            "Pupils underline whole sentences rather than words.",
            "Sentence stem strips; TA with a group.",
            "Do pupils choose precise words as evidence?",
        ),
        Stage(
            "Independent",
            "10 minutes",
            "Each pupil writes two inferences about Hogarth's father with evidence.",
            "Some write what happens rather than how he feels.",
            "Checklist of the three success criteria.",
            "Do pupils explain how the words show the feeling?",
        ),
        Stage(
            "Share",
            "5 minutes",
            "Three pupils read an inference; the class decides whether the evidence proves it.",
            "Pupils agree with everything.",
            '"Convinced / not yet convinced" cards.',
            "Can pupils judge whether evidence is strong?",
        ),
    ),
    predictions=(
        (
            'Will name "lonely" and give a reason from the picture.',
            "Will follow and predict the next underlining.",
            "Will choose precise words and finish early.",
            "Will write two full inferences with evidence.",
            "Will challenge weak evidence.",
        ),
        (
            'Will say "sad" with no reason.',
            "Will listen but not underline.",
            "Will underline whole sentences.",
            "Will write one inference, partly retelling.",
            "Will agree with the first answer.",
        ),
        (
            "Will not answer unless asked directly.",
            "Will lose attention during the reading.",
            "Will need the TA to read the page aloud.",
            "Will write what happens, not feelings.",
            "Will hold up a card only when others do.",
        ),
    ),
    seen=(
        (
            "Said \"lonely, because he's on his own and it's raining\".",
            "Whispered the next feeling before the teacher said it.",
            'Underlined "shivered" and "nobody came": precise.',
            "Wrote two inferences, one with two pieces of evidence.",
            'Held up "not yet convinced" and explained why.',
        ),
        (
            'Said "sad"; added "because of the rain" after the word bank.',
            "Underlined along with the teacher from halfway.",
            "Underlined a whole paragraph at first, then narrowed it with her partner.",
            "Wrote one inference with evidence and one retelling.",
            "Agreed with the first answer, then changed her card.",
        ),
        (
            'Pointed at "worried" in the word bank without speaking.',
            "Followed the visualiser closely; underlined in the air with a finger.",
            'Read the page himself with the TA beside him; underlined "hid".',
            'Wrote "Hogarth\'s dad is scared because he hid": a real inference.',
            'Held up "convinced" with a reason when asked.',
        ),
    ),
    quotes=(
        "It doesn't say he's scared but you can tell.",
        "Is it guessing if you've got the words?",
        "Shivered means cold AND scared.",
        "I knew because he hid behind the door.",
    ),
    answers=(
        ("Finding clues in the words.", "That you underline words.", "Reading the Iron Man."),
        ("The sentence strips.", "My partner.", "When Miss read it out."),
        ("Longer to write.", "A different book.", "More pictures."),
    ),
    evidence=(
        "Pupil A met every prediction and went further, challenging weak evidence in the share.",
        "Pupil B underlined whole paragraphs as predicted, but narrowed her evidence with a "
        "partner's help.",
        "Pupil C exceeded our predictions: silent in whole-class talk, but wrote a real inference "
        "once he had read the page himself.",
    ),
    remarks="The think-aloud ran over; I kept the independent task short so the share could "
    "happen.",
    teaching="The underlining in one colour on the visualiser was copied by pupils, which helped "
    'them see what "evidence" means.',
    final_comments="The evidence shows Pupil C can infer when the reading load is lifted. Plan the "
    "next lesson so that decoding does not stand in the way of thinking.",
    changes=(
        "Pre-read the page with the target group in the morning. Model underlining single words, "
        "not sentences.",
        'Use "convinced / not yet convinced" in paired work, not only at the end.',
        "Try the same approach with a non-fiction text.",
    ),
    learned=(
        "Quiet pupils like Pupil C can infer well when decoding does not take all their effort.",
        "Inference depends on precise evidence: single words carry more than sentences.",
        "Thinking aloud with underlining made the invisible process visible.",
        "Observing the same three pupils across three lessons showed us changes we would have "
        "missed.",
    ),
    others_try="Pre-read texts with pupils who find decoding hard, and model underlining single "
    "words as evidence.",
    what_changed=(
        "Challenges weak evidence in discussion.",
        "Chooses precise words as evidence.",
        "Writes inferences with evidence and contributes in paired talk.",
    ),
)

FORCES = Theme(
    key="forces",
    title="Explaining balanced forces",
    subject="Science",
    year_group="Year 8",
    secondary=True,
    focus="We want to learn how to improve the way we teach forces so that pupils explain motion "
    'with balanced and unbalanced forces, instead of "the force runs out".',
    concern="End-of-unit tests show 70% of Year 8 believe a moving object needs a force to keep "
    "moving. Misconceptions survive the unit.",
    research_question="How can predict-observe-explain tasks change pupils' explanations of "
    "motion?",
    objective="To explain the motion of an object using balanced and unbalanced forces.",
    success_criteria="I can draw force arrows on an object.\nI can say whether the forces are "
    "balanced.\nI can explain the motion from the forces.",
    stages=(
        Stage(
            "Predict",
            "8 minutes",
            "A trolley is pushed and let go. Pupils predict on mini-whiteboards what happens and "
            "why.",
            "Most say it slows because the push runs out.",
            "Prediction grid.",
            'How many use "the force runs out"?',
        ),
        Stage(
            "Observe",
            "10 minutes",
            "Demonstration on a smooth track and on carpet.",
            "Pupils notice the difference but explain it by the push.",
            "Slow-motion video on the board.",
            "Do pupils mention friction unprompted?",
        ),
        Stage(
            "Explain",
            "15 minutes",
            "Groups draw force arrows for each case and explain the motion.",
            "Arrows drawn in the direction of motion.",
            "Arrow cards; key words.",
            "Are arrows labelled with the force's name?",
        ),
        Stage(
            "Apply",
            "12 minutes",
            "A cyclist at constant speed: pupils explain with balanced forces.",
            "Many say there must be a bigger forward force.",
            "Worked example.",
            "Do pupils accept balanced forces with motion?",
        ),
        Stage(
            "Exit ticket",
            "5 minutes",
            "One question: explain a hockey puck sliding on ice.",
            "Mixed answers.",
            "None.",
            "How many explanations use balanced forces?",
        ),
    ),
    predictions=(
        (
            "Will mention friction in the prediction.",
            "Will explain the difference with friction.",
            "Will draw labelled arrows for both cases.",
            "Will explain balanced forces at constant speed.",
            "Will give a full explanation.",
        ),
        (
            "Will say the push runs out.",
            "Will notice the difference but not explain it.",
            "Will draw arrows in the direction of motion.",
            "Will say forward force is bigger.",
            "Will mention friction only.",
        ),
        (
            "Will copy a neighbour's prediction.",
            "Will enjoy the demonstration but not write.",
            "Will need the arrow cards to start.",
            "Will not attempt.",
            "Will leave it blank.",
        ),
    ),
    seen=(
        (
            'Predicted it would slow "because of friction with the floor".',
            'Explained the carpet had "more friction" to the group.',
            "Drew and labelled friction and push, correct sizes.",
            "Argued with her group that the forces could be equal at constant speed.",
            "Full explanation using balanced forces.",
        ),
        (
            'Wrote "the push wears off".',
            'Said "carpet is rougher" when asked.',
            "Drew one arrow forwards, then added friction after the group talked.",
            "Said the forward force was bigger, then hesitated.",
            'Mentioned friction and said the forces were "nearly balanced".',
        ),
        (
            'Wrote his own prediction: "it stops".',
            "Filmed the demonstration on the class tablet and replayed it.",
            "Used the arrow cards to make a diagram; two arrows correct.",
            'Wrote "the same force" after the worked example.',
            'Wrote one line: "friction slows it, ice has little".',
        ),
    ),
    quotes=(
        "So it would keep going forever in space?",
        "The push is gone but it still moves.",
        "Friction is the arrow backwards.",
        "If they're balanced why is he moving?",
    ),
    answers=(
        ("Forces can be balanced when moving.", "Friction slows things.", "The trolley."),
        ("The video.", "Arguing in my group.", "The arrow cards."),
        ("Harder examples.", "More time on the cyclist.", "Do it outside."),
    ),
    evidence=(
        "Pupil A was ahead of prediction, arguing for balanced forces in her group.",
        'Pupil B kept "the push wears off" until group talk; partial shift.',
        "Pupil C engaged through the video and produced a correct exit ticket line.",
    ),
    remarks="The demonstration took longer because pupils wanted to try the carpet themselves.",
    teaching="Group argument moved thinking more than the worked example did.",
    final_comments="Misconceptions are stubborn: the evidence shows movement but not yet "
    "conviction. Return to the cyclist in the next lesson.",
    changes=(
        "Let pupils run the trolley themselves; build in structured argument before the worked "
        "example.",
        "Use the video replay for every group.",
        "Share the exit tickets with the department.",
    ),
    learned=(
        'Pupils hold "the force runs out" even after a good demonstration; argument shifts it.',
        "Balanced forces with motion is the threshold idea.",
        "Predict-observe-explain works when pupils argue about their predictions.",
        "Planning together meant each of us saw the misconception in our own classes.",
    ),
    others_try="Use predict-observe-explain with structured group argument before any worked "
    "example.",
    what_changed=(
        "Leads group explanations.",
        "Uses friction in explanations.",
        "Writes short correct explanations.",
    ),
)

EVIDENCE = Theme(
    key="sources",
    title="Using sources as evidence",
    subject="History",
    year_group="Year 9",
    secondary=True,
    focus="We want to learn how to improve the way we teach source analysis so that pupils use "
    "sources as evidence for a claim, not as information to copy.",
    concern="Year 9 essays quote sources at length without saying what they show. Pupils treat "
    "sources as true or false.",
    research_question="How can questioning the provenance of a source help pupils use it as "
    "evidence?",
    objective="To use a source as evidence for a claim, considering who made it and why.",
    success_criteria="I can say what a source shows.\nI can say who made it and why.\nI can use "
    "it to support or challenge a claim.",
    stages=(
        Stage(
            "Claim",
            "5 minutes",
            'A claim on the board: "The Blitz broke British morale". Agree or disagree?',
            "Pupils agree or disagree without evidence.",
            "Agree/disagree line.",
            "Do pupils ask for evidence?",
        ),
        Stage(
            "Source A",
            "10 minutes",
            "A propaganda photograph: what does it show? who made it? why?",
            "Pupils describe the photo.",
            "Provenance questions on cards.",
            "Do pupils ask who made it?",
        ),
        Stage(
            "Source B",
            "12 minutes",
            "A Mass Observation diary extract.",
            "Pupils treat it as the truth.",
            "Highlighters.",
            "Do pupils compare A and B?",
        ),
        Stage(
            "Write",
            "15 minutes",
            "Paragraph: how far do the sources support the claim?",
            "Pupils describe both sources in turn.",
            "Paragraph frame.",
            "Do paragraphs make a judgement?",
        ),
        Stage(
            "Review",
            "5 minutes",
            "Swap paragraphs; partner underlines the judgement.",
            "Many paragraphs lack a judgement.",
            "Checklist.",
            "Can pupils spot a judgement?",
        ),
    ),
    predictions=(
        (
            "Will ask for evidence.",
            "Will question who made the photograph.",
            "Will compare the two sources.",
            "Will write a judgement.",
            "Will spot a missing judgement.",
        ),
        (
            "Will agree with the claim.",
            "Will describe the photo.",
            "Will highlight most of the extract.",
            "Will describe both sources.",
            "Will underline a description.",
        ),
        (
            "Will stand in the middle of the line.",
            "Will not speak.",
            "Will need support to read the extract.",
            "Will write two sentences.",
            "Will not swap.",
        ),
    ),
    seen=(
        (
            'Asked "who says it broke morale?".',
            'Said the photo was "made to cheer people up".',
            "Compared the diary with the photo unprompted.",
            "Judgement in the first sentence, evidence from both sources.",
            "Found her partner's judgement and suggested a better one.",
        ),
        (
            "Agreed with the claim, then moved after hearing Pupil A.",
            "Described the photo, then read the provenance card.",
            "Highlighted two short quotations.",
            "Described both sources, with a judgement at the end.",
            "Underlined her partner's judgement correctly.",
        ),
        (
            'Stood in the middle, then said "it depends".',
            'Said "the government took it" when asked.',
            "Read the extract with a partner; highlighted one line.",
            'Wrote three sentences including "this source is biased because".',
            "Swapped and read his partner's paragraph.",
        ),
    ),
    quotes=(
        "It depends who's telling it.",
        "The government wanted people to think that.",
        "So the diary is more honest?",
        "Can a source be useful if it's biased?",
    ),
    answers=(
        ("Sources can be useful even if biased.", "Who made it.", "The Blitz."),
        ("The provenance cards.", "The paragraph frame.", "Reading with a partner."),
        ("More sources.", "More time to write.", "Shorter extracts."),
    ),
    evidence=(
        "Pupil A exceeded predictions, comparing the sources unprompted.",
        "Pupil B moved from description to a final judgement.",
        'Pupil C used provenance ("the government took it") — more than we predicted.',
    ),
    remarks="The agree/disagree line energised the room; the writing time was short.",
    teaching="Provenance cards made pupils ask who and why before describing.",
    final_comments="The provenance question unlocked thinking for all three pupils. Next, make "
    "the judgement the first sentence, not the last.",
    changes=(
        "Model a paragraph with the judgement first. Cut the number of provenance questions to "
        "two.",
        "Add a third source that disagrees with both.",
        "Share the paragraph frame with the department.",
    ),
    learned=(
        "Pupils can reason about provenance when asked who and why first.",
        "Usefulness, not truth, is the key idea of source work.",
        "Provenance cards shifted pupils from description to evaluation.",
        "Observing pupils we do not teach gave us fresh eyes on our own classes.",
    ),
    others_try='Ask "who made it and why?" before "what does it show?" for every source.',
    what_changed=(
        "Writes judgements with evidence from several sources.",
        "Makes a judgement in every paragraph.",
        "Uses provenance in his own writing.",
    ),
)

THEMES = (FRACTIONS, INFERENCE, FORCES, EVIDENCE)

#: A knowledgeable other from outside the school, by subject.
KNOWLEDGEABLE_OTHERS = {
    "Mathematics": ("Mark Ellison (maths hub lead)", "Dr Ruth Ahmed (University of Warwick)"),
    "English": ("Sian Roberts (English adviser)", "Dr Ruth Ahmed (University of Warwick)"),
    "Science": ("Dr Priya Nair (science learning partnership)", "Tom Barker (trust science lead)"),
    "History": ("Helen Doyle (Historical Association)", "Dr James Kerr (University of Warwick)"),
}

#: What a second observer of the same pupil tends to write: the same moment, seen differently.
ALSO_SEEN = (
    (
        "Finished first and started helping the pair next to her.",
        "Checked her answer a second way before putting her hand up.",
        "Explained the step to her partner using the key word from the board.",
        "Went beyond the task: tried a harder example of her own.",
    ),
    (
        "Started after looking at her partner's work.",
        "Asked the TA whether she had understood the task before starting.",
        "Got the first part right, then slowed down on the second.",
        "Rubbed out and corrected an answer after talking to her partner.",
    ),
    (
        "Sat still for two minutes, then started when the TA came over.",
        "Used the resource on the table without being told to.",
        "Answered the teacher's question when asked by name; correct.",
        "Worked on his own for five minutes: longer than we have seen before.",
    ),
)
