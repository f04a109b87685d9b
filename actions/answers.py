"""Answer the question asked: a direct answer card, the walkthrough, a decline, or ask back.

``bot.kb.answers`` ranks the KB's answers against the message (with the NLU's topic
ranking as a prior) and decides; this module turns the decision into messages.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import knowledge_base, source_fields
from bot import cards
from bot.kb import answers
from bot.kb.queries import KnowledgeBase, Procedure
from bot.links import is_official

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
# What a field answers, in the words of its follow-up response (domain.yml: utter_fee …).
FIELD_ANSWERS = {
    answers.FEE: "Lệ phí: {fee}.",
    answers.TIME: "Thời gian: {processing_time}",
    answers.WHERE: "Nơi làm: {where}.",
}
START_STEPS = "/start_steps"


@lru_cache(maxsize=2)
def _index(kb: KnowledgeBase, stamp: tuple) -> answers.AnswerIndex:
    """One index per KB content: built again when `make kb` has loaded something else."""
    return answers.AnswerIndex(kb.all(), kb.aliases())


# The KB's stamp is read at most this often (seconds): a reload shows within that time.
STAMP_EVERY = 30.0
_stamp: Dict[str, Any] = {"at": float("-inf"), "value": None}


def answer_index() -> answers.AnswerIndex:
    kb = knowledge_base()
    now = time.monotonic()
    if now - _stamp["at"] >= STAMP_EVERY:
        _stamp.update(at=now, value=kb.stamp())
    return _index(kb, _stamp["value"])


def nlu_topics(tracker: Tracker) -> Tuple[Dict[str, float], float]:
    """The NLU's confidence in each KB topic, and in "none of our topics"."""
    kb = knowledge_base()
    topics: Dict[str, float] = {}
    out_of_scope = 0.0
    for entry in tracker.latest_message.get("intent_ranking") or []:
        name, confidence = entry.get("name", ""), float(entry.get("confidence", 0.0))
        if name == OUT_OF_SCOPE:
            out_of_scope = confidence
            continue
        procedure = kb.by_intent(name) if name != FALLBACK else None
        if procedure is not None:
            topics[procedure.slug] = max(topics.get(procedure.slug, 0.0), confidence)
    return topics, out_of_scope


def decide(tracker: Tracker) -> answers.Decision:
    text = tracker.latest_message.get("text") or ""
    topics, out_of_scope = nlu_topics(tracker)
    if text.startswith("/"):
        # A button of ours asked for a topic by its intent: its walkthrough.
        lead = max(topics, key=lambda slug: topics[slug]) if topics else None
        return answers.Decision(answers.WALKTHROUGH, lead) if lead else answers.Decision(answers.UNSURE)
    return answers.decide(answer_index(), text, topics, out_of_scope)


def answer_text(procedure: Procedure, scored: answers.Scored) -> Optional[str]:
    kind = scored.candidate.kind
    if kind == answers.QUESTION:
        return procedure.questions[scored.candidate.position].answer
    if kind in FIELD_ANSWERS:
        return FIELD_ANSWERS[kind].format(
            **{f: getattr(procedure, f) for f in ("fee", "processing_time", "where")}
        )
    if kind == answers.PAPERS and procedure.papers:
        return "Giấy tờ cần mang:\n" + "\n".join(f"- {paper}" for paper in procedure.papers)
    if kind == answers.LEGAL:
        return "Căn cứ pháp lý:\n" + "\n".join(f"- {law}" for law in procedure.legal_basis)
    return None


def _source(procedure: Procedure, scored: answers.Scored) -> Dict[str, str]:
    """The answer's own source when it is official, else the entry's (replies cite official pages)."""
    fields = source_fields(procedure)
    if scored.candidate.kind == answers.QUESTION:
        item = procedure.questions[scored.candidate.position]
        if is_official(item.source):
            fields["source"] = item.source
        fields["last_reviewed"] = item.last_reviewed.strftime("%d/%m/%Y")
    return fields


def next_buttons(procedure: Procedure) -> List[Dict[str, str]]:
    buttons = [{"title": "Xem từng bước", "payload": START_STEPS}]
    if procedure.papers:
        buttons.append({"title": "Cần mang gì?", "payload": "/required_papers"})
    buttons.append({"title": "Làm ở đâu?", "payload": "/ask_where"})
    return buttons


def utter_answers(dispatcher: CollectingDispatcher, decision: answers.Decision) -> List[EventType]:
    """The direct answers (in the order asked), what to do next, then the source and date."""
    kb = knowledge_base()
    texts: List[str] = []
    first: Optional[Procedure] = None
    source: Dict[str, Any] = {}
    for scored in decision.picks:
        procedure = kb.get(scored.candidate.slug)
        text = answer_text(procedure, scored) if procedure else None
        if procedure is None or text is None:
            continue
        if first is None:
            first, source = procedure, _source(procedure, scored)
        texts.append(text)
    if first is None:
        return []
    card = cards.answer_card(procedure=first.slug, title=first.title, answers=texts, **source)
    dispatcher.utter_message(
        response="utter_answer",
        answer="\n".join(texts),
        buttons=next_buttons(first),
        json_message={"card": card},
        **source,
    )
    return [SlotSet("procedure", first.slug), SlotSet("step", None)]
