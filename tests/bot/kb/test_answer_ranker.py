"""The answer ranker on a KB of its own: the fact asked wins, each question is answered."""

from __future__ import annotations

import datetime

import pytest

from bot.kb import answers as A
from bot.kb.content import Answer, Link, Procedure
from bot.text import strip_diacritics

DAY = datetime.date(2026, 12, 1)


def procedure(slug: str, title: str, questions=(), papers=("Thẻ căn cước",)) -> Procedure:
    return Procedure(
        slug=slug,
        intent=f"ask_{slug.replace('-', '_')}",
        title=title,
        category="can_cuoc",
        summary="Tóm tắt.",
        where="Công an xã, phường",
        steps=("Bước một.", "Bước hai."),
        papers=tuple(papers),
        fee="50.000 đồng",
        processing_time="7 ngày làm việc",
        legal_basis=("Luật Căn cước 2023",),
        official_links=(Link("VNeID", "https://vneid.gov.vn"),),
        sources=(Link("VNeID", "https://vneid.gov.vn"),),
        last_reviewed=DAY,
        questions=tuple(Answer(tuple(ask), text, "https://vneid.gov.vn", DAY) for ask, text in questions),
    )


CARD = procedure(
    "lam-lai-can-cuoc",
    "Làm lại thẻ căn cước",
    questions=[
        (
            ["người già làm lại có mất tiền không", "từ 60 tuổi có được miễn phí không"],
            "Người từ 60 tuổi được miễn.",
        ),
        (["mất thẻ có phải đến công an không"], "Thẻ còn hạn thì làm trên VNeID."),
    ],
)
RESIDENCE = procedure(
    "tam-tru",
    "Đăng ký tạm trú",
    questions=[
        (["ở trọ bao lâu thì phải đăng ký", "thuê nhà mấy ngày phải khai báo"], "Từ 30 ngày trở lên.")
    ],
)
ALIASES = {"lam-lai-can-cuoc": ["mất thẻ căn cước", "cấp lại căn cước"], "tam-tru": ["đăng ký tạm trú"]}


@pytest.fixture(scope="module")
def index() -> A.AnswerIndex:
    return A.AnswerIndex([CARD, RESIDENCE], ALIASES)


def picked(decision: A.Decision):
    return [(s.candidate.slug, s.candidate.kind, s.candidate.position) for s in decision.picks]


@pytest.mark.parametrize("variant", [lambda t: t, strip_diacritics])
def test_the_fact_asked_wins_over_the_topics_fields(index, variant) -> None:
    text = variant("Tôi 62 tuổi, làm lại thẻ căn cước bị mất có phải nộp tiền không?")
    decision = A.decide(index, text, {"lam-lai-can-cuoc": 0.8})
    assert decision.kind == A.ANSWER
    assert picked(decision)[0] in {("lam-lai-can-cuoc", A.QUESTION, 0), ("lam-lai-can-cuoc", A.FEE, 0)}


def test_a_field_answers_when_no_question_item_does(index) -> None:
    decision = A.decide(index, "làm lại căn cước mất bao lâu", {"lam-lai-can-cuoc": 0.7})
    assert picked(decision) == [("lam-lai-can-cuoc", A.TIME, 0)]


def test_two_questions_in_one_message_get_two_answers_in_order(index) -> None:
    text = "Cho tôi hỏi mất thẻ căn cước có phải đến công an không? Còn làm lại mất bao lâu?"
    decision = A.decide(index, text, {"lam-lai-can-cuoc": 0.9})
    assert picked(decision) == [("lam-lai-can-cuoc", A.QUESTION, 1), ("lam-lai-can-cuoc", A.TIME, 0)]


def test_abbreviations_are_read_as_their_full_form(index) -> None:
    decision = A.decide(index, "dk tam tru o tro bao lau thi phai dk", {})
    assert picked(decision)[:1] == [("tam-tru", A.QUESTION, 0)]


def test_naming_a_topic_without_a_question_gives_its_walkthrough(index) -> None:
    assert A.decide(index, "đăng ký tạm trú", {}) == A.Decision(A.WALKTHROUGH, "tam-tru")


def test_a_long_message_about_something_else_is_declined(index) -> None:
    text = "Bố tôi mất không để lại di chúc, anh em tôi tranh chấp mảnh đất ở quê thì chia thế nào?"
    assert A.decide(index, text, {"tam-tru": 0.2}).kind == A.DECLINE


def test_the_nlu_saying_out_of_scope_declines(index) -> None:
    assert A.decide(index, "giá vàng hôm nay", {"tam-tru": 0.1}, out_of_scope=0.7).kind == A.DECLINE


def test_a_short_unclear_fragment_is_asked_back(index) -> None:
    assert A.decide(index, "cái đó sao", {}).kind == A.UNSURE


def test_a_generic_question_is_not_pinned_on_a_topic_the_message_never_names(index) -> None:
    text = "Tôi cho bạn vay tiền mà bạn không trả thì có bị phạt không, mất bao lâu thì kiện được?"
    assert A.decide(index, text, {}).kind != A.ANSWER


def test_clauses_split_at_question_marks_and_sentence_ends() -> None:
    assert A.clauses("Mất thẻ thì sao? Làm ở đâu. Bao lâu") == ["Mất thẻ thì sao", "Làm ở đâu", "Bao lâu"]
    assert A.clauses("?") == ["?"]


def test_syllables_are_folded_and_abbreviations_expanded() -> None:
    assert A.syllables("ĐK CCCD") == ["dang", "ky", "can", "cuoc", "cong", "dan"]
    assert A.syllables("đăng ký") == ["dang", "ky"]
