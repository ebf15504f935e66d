"""The course as plain data (Pydantic v2). No I/O, no templates, no SCORM.

Two families of models live here:

* *Source* models (``CourseFile``, ``TrackFile``, ``ModuleFile``, ``FrontMatter``,
  ``QuizBlock``, ``ReflectionBlock``) validate exactly what an author writes, with
  ``extra="forbid"`` so a misspelled key is an error.
* *Course* models (``Course``, ``Track``, ``Module``, ``Session``, ``Page``) are what the
  loader assembles from the sources and what the renderer and exporter read.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .yamlsrc import as_text

SCORM_VERSIONS = ("1.2", "2004-3rd", "2004-4th")
LAYOUTS = ("multi-sco", "single-sco")
ID_PATTERN = r"^[a-z][a-z0-9-]*$"
ID_RE = re.compile(ID_PATTERN)
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

ScormVersion = Literal["1.2", "2004-3rd", "2004-4th"]
Layout = Literal["multi-sco", "single-sco"]
Split = Literal["track", "module"]
Ident = Annotated[str, Field(pattern=ID_PATTERN, max_length=48)]


def _visible(v: str) -> str:
    """Refuse text made only of invisible characters (zero-width spaces, direction marks)."""
    if v and all(c.isspace() or unicodedata.category(c) in ("Cf", "Zs", "Mn") for c in v):
        raise ValueError("this text has only invisible characters (zero-width spaces or direction marks); "
                         "write the text")
    return v


Text = Annotated[str, Field(min_length=1), AfterValidator(_visible)]


class Source(BaseModel):
    """Base for everything an author writes: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _scorm_list(value: Any) -> Any:
    # YAML reads `1.2` as a number and `[1.2, 2004-4th]` as [1.2, "2004-4th"]
    if isinstance(value, (str, float, int)) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


# true or false exactly as YAML reads them: a quoted 'yes' or "true" is text, and lax mode would read it as true
Flag = Annotated[bool, Field(strict=True)]
Minutes = Annotated[int, Field(strict=True, gt=0, le=24 * 60)]
Percent = Annotated[int, Field(strict=True, ge=0, le=100)]


class Settings(Source):
    """Keys that a course sets for every track and a track may override."""

    language: Optional[Annotated[str, Field(pattern=LANG_RE.pattern)]] = None
    version: Optional[Annotated[str, Field(max_length=20)]] = None
    mastery_score: Optional[Percent] = None
    scorm: Optional[list[ScormVersion]] = None
    layout: Optional[Layout] = None
    split: Optional[Split] = None  # what one single-SCO package holds: the whole track or one module

    @field_validator("scorm", mode="before")
    @classmethod
    def _scorm(cls, v):
        return _scorm_list(v)

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v):
        return as_text(v)

    @field_validator("scorm")
    @classmethod
    def _scorm_nonempty(cls, v):
        if v is not None and not v:
            raise ValueError("list at least one SCORM version: 1.2, 2004-3rd or 2004-4th")
        return v


HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


class Theme(Source):
    accent: Optional[str] = None  # e.g. "#0b5cad" (or the short form "#06c")
    logo: Optional[Text] = None  # course-relative path of an image (SVG or PNG)

    @field_validator("accent", mode="before")
    @classmethod
    def _written(cls, v):
        if v is None:  # `accent: #0b5cad` without quotes: YAML reads '#…' as a comment
            raise ValueError('the colour is missing; write it in quotes, e.g. accent: "#0b5cad" (without quotes '
                             "YAML reads everything after # as a comment)")
        return v

    @field_validator("accent")
    @classmethod
    def _colour(cls, v):
        if re.fullmatch(r"#[0-9A-Fa-f]{3}", v):
            v = "#" + "".join(c * 2 for c in v[1:])
        if not re.fullmatch(HEX_COLOUR[1:-1], v):
            raise ValueError(f"'{v[:40]}' is not a colour; write '#' and six hexadecimal digits in quotes, "
                             'e.g. accent: "#0b5cad"')
        return v.lower()


SOURCE_FORMATS = (1, 2)


class CourseFile(Settings):
    format: Optional[Annotated[int, Field(strict=True)]] = None  # the source format the course is written in (1 or 2); optional
    title: Text
    description: Optional[str] = None
    publisher: Optional[str] = None
    tracks: Optional[list[Ident]] = None
    schemas: Optional[str] = None  # folder with an administrator's copy of the XSDs
    theme: Optional[Theme] = None

    @field_validator("format")
    @classmethod
    def _format(cls, v):
        if v is not None and v not in SOURCE_FORMATS:
            raise ValueError(f"this coursepack reads source format 1 and 2, not {v}; "
                             "write `format: 2` or update coursepack")
        return v


class TrackFile(Settings):
    id: Optional[Ident] = None
    title: Text
    description: Optional[str] = None


class ModuleFile(Source):
    title: Text
    description: Optional[str] = None


class FrontMatter(Source):
    title: Text
    duration: Minutes
    objectives: list[Text] = []  # optional since v2: a warning when missing
    materials: list[Text] = []
    id: Optional[Ident] = None

    @field_validator("objectives", "materials", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return [v] if isinstance(v, str) else v


# ---- quizzes --------------------------------------------------------------------------

class Feedback(Source):
    correct: Optional[str] = None
    incorrect: Optional[str] = None


def _feedback(v: Any) -> Any:
    return {"correct": v, "incorrect": v} if isinstance(v, str) else v


class Choice(Source):
    text: Text
    correct: Flag = False
    feedback: Optional[str] = None

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, v):
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            return {"text": as_text(v)}
        return v


class QuestionBase(Source):
    id: Optional[Ident] = None
    prompt: Text
    feedback: Optional[Feedback] = None

    @field_validator("feedback", mode="before")
    @classmethod
    def _fb(cls, v):
        return _feedback(v)


MAX_CHOICES = 36  # SCORM 1.2 choice ids are single characters a-z, 0-9


class SingleQ(QuestionBase):
    type: Literal["single"]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=MAX_CHOICES)]

    @field_validator("choices")
    @classmethod
    def _one_correct(cls, v):
        n = sum(c.correct for c in v)
        if n != 1:
            raise ValueError(
                f"a single-choice question needs exactly one choice with `correct: true`, found {n}"
            )
        return v


class MultipleQ(QuestionBase):
    type: Literal["multiple"]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=MAX_CHOICES)]

    @field_validator("choices")
    @classmethod
    def _some_correct(cls, v):
        if not any(c.correct for c in v):
            raise ValueError("a multiple-choice question needs at least one choice with `correct: true`")
        return v


class TrueFalseQ(QuestionBase):
    type: Literal["true-false"]
    answer: Flag


class FillInQ(QuestionBase):
    type: Literal["fill-in"]
    answers: Annotated[list[Text], Field(min_length=1)]

    @field_validator("answers", mode="before")
    @classmethod
    def _strs(cls, v):
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            v = [v]
        if isinstance(v, list):
            return [as_text(a) for a in v]
        return v


class MatchingQ(QuestionBase):
    type: Literal["matching"]
    pairs: Annotated[list[tuple[Text, Text]], Field(min_length=2, max_length=MAX_CHOICES)]

    @field_validator("pairs", mode="before")
    @classmethod
    def _texts(cls, v):
        if isinstance(v, list):
            return [[as_text(x) for x in p] if isinstance(p, list) else p for p in v]
        return v

    @field_validator("pairs")
    @classmethod
    def _distinct(cls, v):
        rights = [r.casefold() for _, r in v]
        lefts = [l.casefold() for l, _ in v]
        if len(set(rights)) != len(rights) or len(set(lefts)) != len(lefts):
            raise ValueError("each left side and each right side of `pairs` must be different")
        return v


class OrderingQ(QuestionBase):
    type: Literal["ordering"]
    items: Annotated[list[Text], Field(min_length=2, max_length=MAX_CHOICES)]

    @field_validator("items", mode="before")
    @classmethod
    def _texts(cls, v):
        return [as_text(x) for x in v] if isinstance(v, list) else v

    @field_validator("items")
    @classmethod
    def _distinct(cls, v):
        if len({i.casefold() for i in v}) != len(v):
            raise ValueError("the `items` of an ordering question must all be different")
        return v


class NumericQ(QuestionBase):
    type: Literal["numeric"]
    answer: Annotated[float, Field(allow_inf_nan=False)]
    tolerance: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0


class LikertQ(QuestionBase):
    type: Literal["likert"]
    scale: Annotated[list[Text], Field(min_length=2, max_length=MAX_CHOICES)]

    @field_validator("scale", mode="before")
    @classmethod
    def _texts(cls, v):
        return [as_text(x) for x in v] if isinstance(v, list) else v


QUESTION_TYPES = ("single", "multiple", "true-false", "fill-in", "matching", "ordering", "numeric", "likert")
Question = Annotated[
    Union[SingleQ, MultipleQ, TrueFalseQ, FillInQ, MatchingQ, OrderingQ, NumericQ, LikertQ],
    Field(discriminator="type"),
]


class QuizBlock(Source):
    id: Optional[Ident] = None
    title: Optional[str] = None
    attempts: Optional[Annotated[int, Field(strict=True, ge=1, le=99)]] = None
    shuffle: Flag = True  # single and multiple choices, per learner; `false` keeps the author's order
    record: Flag = True  # false: a self-check whose answers never reach the LMS
    questions: Annotated[list[Question], Field(min_length=1)]


class ReflectionBlock(Source):
    id: Optional[Ident] = None
    prompt: Text
    min_words: Optional[Annotated[int, Field(strict=True, ge=0, le=5000)]] = None
    model_answer: Optional[Text] = None  # Markdown, shown after the learner has written their own


# ---- the assembled course -------------------------------------------------------------

class Data(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)


class Activity(Data):
    number: Optional[int]
    name: str
    minutes: int
    line: int


class QuestionItem(Data):
    key: str  # interaction id, unique within a track
    source: Any  # one of the *Q models above
    prompt_html: str
    feedback_html: dict[str, Optional[str]]
    choices_html: list[dict] = []  # rendered HTML: {html, correct, feedback} / {html} / {left, right}
    line: int = 0  # line of the question in its session plan (0: unknown)


class Quiz(Data):
    key: str
    title: Optional[str]
    attempts: Optional[int]
    shuffle: bool
    record: bool
    questions: list[QuestionItem]
    line: int


class Reflection(Data):
    key: str
    prompt_html: str
    min_words: Optional[int]
    model_answer_html: Optional[str]
    line: int


class Page(Data):
    """One page of a session: the text before the first `##` heading, or one `##` section.

    ``title``/``heading_html``/``html`` are the trainer's view (everything, facilitator blocks
    included); the ``learner_*`` fields are the learner's (no facilitator blocks, activity
    headings without number and minutes).

    The whole course is held in memory between loading and packaging, and the pages' HTML is
    most of it: it is kept compressed (``html_z``, ``learner_z``), so that a course of 10,000
    sessions fits in a few hundred MB. Build one with ``Page(html=…, learner_html=…)`` and read
    ``page.html`` and ``page.learner_html`` as text.
    """

    key: str
    title: str
    heading_html: str  # "" for the first page (the session title is its heading)
    html_z: bytes
    learner_title: str
    learner_heading_html: str
    learner_z: Optional[bytes] = None  # None: the learner's HTML is the trainer's

    @model_validator(mode="before")
    @classmethod
    def _pack(cls, data):
        if isinstance(data, dict) and "html" in data:
            data = dict(data)
            html = data.pop("html")
            learner = data.pop("learner_html", html)
            data["html_z"] = zlib.compress(html.encode("utf-8"), 1)
            data["learner_z"] = None if learner == html else zlib.compress(learner.encode("utf-8"), 1)
        return data

    @property
    def html(self) -> str:
        return zlib.decompress(self.html_z).decode("utf-8")

    @property
    def learner_html(self) -> str:
        return self.html if self.learner_z is None else zlib.decompress(self.learner_z).decode("utf-8")


class Session(Data):
    key: str
    source_path: str  # relative to the course folder
    title: str
    duration: int
    objectives: list[str]  # HTML
    materials: list[str]  # HTML
    activities: list[Activity]
    pages: list[Page]
    quizzes: list[Quiz]
    reflections: list[Reflection]
    study_minutes: int  # the learner's own time, estimated from what they read, answer and write
    assets: list[str]  # course-relative paths of the files this session uses
    linked_pages: list[str]  # course-relative paths of the Markdown pages it links to
    digest: str  # content hash of the source file
    lines: dict[str, int] = {}  # line of each front-matter key, for diagnostics


class Module(Data):
    key: str
    title: str
    description: Optional[str]
    sessions: list[Session]


class ExtraPage(Data):
    """A non-session Markdown page (About this course, handouts)."""

    source_path: str
    href: str  # file name in the package
    title: str
    html: str
    assets: list[str]


class Track(Data):
    id: str
    title: str
    description: Optional[str]
    language: str
    version: str
    mastery_score: int
    scorm: list[str]
    layout: Optional[str]  # None: the default for each SCORM version
    split: str = "track"  # "module": one single-SCO package per module (Moodle's unload limit)
    modules: list[Module]  # a track without modules has one Module with key "" and title ""
    pages: list[ExtraPage]
    about_href: Optional[str]
    folder: str  # the track's folder, relative to the course folder
    session_files: int  # session plan files found (some may have failed to load)

    @property
    def sessions(self) -> list[Session]:
        return [s for m in self.modules for s in m.sessions]


class Course(Data):
    root: str
    title: str
    publisher: Optional[str]
    description: Optional[str]
    tracks: list[Track]
    assets: dict[str, str]  # package path -> absolute source path
    templates_dir: Optional[str]
    schemas: Optional[str]
    accent: Optional[str] = None  # theme colour, "#rrggbb"
    logo: Optional[str] = None  # course-relative path of the theme logo
