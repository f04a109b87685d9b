from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.abbreviations import has_marks, load_abbreviations
from bot.nlu.config_errors import invalid_config
from bot.nlu.normalization import split_pieces
from bot.text import fold

logger = logging.getLogger(__name__)

# Marks the end of a phrase in the trie (units are never empty).
_END = ""

# After a consonant, "i" and "y" alone are two spellings of one sound: "kí"/"ký", "lí"/"lý",
# "qui"/"quy". Units use "i".
_Y_AS_I = re.compile(r"(?:b|ch?|d|gh?|h|kh?|l|m|n|ngh?|nh|ph?|qu|r|s|th?|tr|v|x)y")


def _spelling(unit: str) -> str:
    return unit[:-1] + "i" if _Y_AS_I.fullmatch(unit) else unit


@dataclass(frozen=True)
class Phrase:
    """A lookup element or synonym in the folded form the matcher compares."""

    entity: str
    units: Tuple[str, ...]
    value: str


@dataclass(frozen=True)
class Match:
    """A phrase found in a text; ``text[start:end]`` is the matched span."""

    start: int
    end: int
    phrase: Phrase


class Gazetteer:
    """Folded phrases in a trie of units, matched on whole units of the original text.

    A unit is a run of letters and digits (or one other character) of the text, folded: lower
    case, no diacritics, and "i" for a lone "y" ("ký" and "kí" are one word). An abbreviation
    expands into the units of its full form, in the text and in the phrases alike, so "dk"
    matches where a phrase says "đăng ký". A match starts and ends on whole runs of the
    original text: "mức 2" never matches inside "mức 20".
    """

    def __init__(
        self,
        phrases: Iterable[Phrase] = (),
        abbreviations: Optional[Mapping[str, Sequence[str]]] = None,
    ) -> None:
        self.abbreviations: Dict[str, Tuple[str, ...]] = {
            key: tuple(full) for key, full in (abbreviations or {}).items()
        }
        self.phrases: List[Phrase] = []
        # Phrases whose units were already taken by an earlier phrase with another entity or value.
        self.conflicts: List[Tuple[Phrase, Phrase]] = []
        self._trie: Dict[str, Any] = {}
        for phrase in phrases:
            self.add(phrase)

    def __len__(self) -> int:
        return len(self.phrases)

    def save(self, path: Path) -> None:
        """Writes the folded phrases and the abbreviation table they were folded with."""
        rasa.shared.utils.io.dump_obj_as_json_to_file(
            path,
            {
                "phrases": [
                    {"entity": p.entity, "units": list(p.units), "value": p.value} for p in self.phrases
                ],
                "abbreviations": {key: list(full) for key, full in self.abbreviations.items()},
            },
        )

    @classmethod
    def read(cls, path: Path) -> Gazetteer:
        stored = rasa.shared.utils.io.read_json_file(path)
        return cls(
            (Phrase(p["entity"], tuple(p["units"]), p["value"]) for p in stored["phrases"]),
            stored["abbreviations"],
        )

    def add(self, phrase: Phrase) -> None:
        """Add ``phrase`` unless one with the same units is there (the first one wins)."""
        if not phrase.units:
            return
        node = self._trie
        for unit in phrase.units:
            node = node.setdefault(unit, {})
        existing = node.get(_END)
        if existing is None:
            node[_END] = phrase
            self.phrases.append(phrase)
        elif (existing.entity, existing.value) != (phrase.entity, phrase.value):
            self.conflicts.append((existing, phrase))

    def units(self, text: str) -> Tuple[List[str], List[Tuple[int, int]], List[bool]]:
        """The units of ``text``, the span of the original text each comes from, and which start a run."""
        units: List[str] = []
        spans: List[Tuple[int, int]] = []
        starts_run: List[bool] = []
        for piece in split_pieces(text):
            folded = fold(piece.normalized)
            # A word typed with tone or vowel marks is never an abbreviation ("ạ", "hỏng").
            expansion = None if has_marks(piece.normalized) else self.abbreviations.get(folded)
            # A lone combining mark folds to nothing: it is not a unit.
            parts = [_spelling(part) for part in expansion or (folded,) if part]
            for index, part in enumerate(parts):
                units.append(part)
                spans.append((piece.start, piece.end))
                starts_run.append(index == 0)
        return units, spans, starts_run

    def phrase_units(self, text: str) -> Tuple[str, ...]:
        """The units a lookup element or synonym is compared by."""
        return tuple(self.units(text)[0])

    def find(self, text: str) -> List[Match]:
        """Non-overlapping matches in ``text``: the longest first, then the leftmost."""
        if not text or not self._trie:
            return []
        units, spans, starts_run = self.units(text)
        candidates: List[Match] = []
        for first in range(len(units)):
            if not starts_run[first]:
                continue
            node = self._trie
            for last in range(first, len(units)):
                node = node.get(units[last])
                if node is None:
                    break
                phrase = node.get(_END)
                ends_run = last + 1 == len(units) or starts_run[last + 1]
                if phrase is not None and ends_run:
                    candidates.append(Match(spans[first][0], spans[last][1], phrase))
        # Like spaCy's filter_spans: longer spans win, then earlier ones.
        candidates.sort(key=lambda match: (match.start - match.end, match.start))
        chosen: List[Match] = []
        for candidate in candidates:
            if all(candidate.end <= other.start or candidate.start >= other.end for other in chosen):
                chosen.append(candidate)
        return sorted(chosen, key=lambda match: match.start)


# The matcher's options, shared by the components that match lookup tables.
GAZETTEER_DEFAULTS: Dict[str, Any] = {
    # Names of the lookup tables to match, which are the entity names; null: all
    "entities": None,
    # Lookup elements and synonyms shorter than this (in characters, folded, without
    # spaces) are left out: a single letter matches in too many messages
    "min_length": 2,
    # Expand the abbreviations of bot/nlu/abbreviations.yml in messages and in the
    # lookup tables, so "dk tam tru" matches "đăng ký tạm trú"; the table is stored
    # with the model, so a trained model keeps matching the same way
    "abbreviations": True,
}


def validate_gazetteer_config(component: type, config: Dict[str, Any]) -> None:
    """Checks the options of GAZETTEER_DEFAULTS in ``config``; the error names ``component``."""

    def fail(key: str, expected: str) -> None:
        invalid_config(component, config, key, expected)

    entities = config.get("entities")
    if entities is not None and (
        not isinstance(entities, list) or not all(isinstance(name, str) and name for name in entities)
    ):
        fail("entities", "null (all lookup tables) or a list of lookup table names")
    min_length = config.get("min_length")
    if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 1:
        fail("min_length", "a whole number of at least 1")
    if not isinstance(config.get("abbreviations"), bool):
        fail("abbreviations", "true or false")


def gazetteer_from_config(training_data: TrainingData, config: Dict[str, Any], owner: str) -> Gazetteer:
    return build_gazetteer(
        training_data,
        entities=config["entities"],
        min_length=config["min_length"],
        abbreviations=config["abbreviations"],
        owner=owner,
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds lookup-table phrases whatever their case, diacritics or abbreviations ("dk", "cccd")."""

    GAZETTEER_FILE_NAME = "gazetteer.json"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return dict(GAZETTEER_DEFAULTS)

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Validates that the component is configured properly."""
        validate_gazetteer_config(cls, config)

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        gazetteer: Optional[Gazetteer] = None,
    ) -> None:
        """Creates a new instance."""
        self._config = {**self.get_default_config(), **config}
        self.validate_config(self._config)
        self._model_storage = model_storage
        self._resource = resource
        self.gazetteer = gazetteer or Gazetteer()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        """Creates a new untrained component (see parent class for full docstring)."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Folds the lookup tables and synonyms of the training data into the gazetteer."""
        self.gazetteer = gazetteer_from_config(training_data, self._config, self.__class__.__name__)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Appends the entities found in each message to its entities."""
        if not self.gazetteer:
            return messages
        for message in messages:
            entities = [
                {
                    ENTITY_ATTRIBUTE_TYPE: match.phrase.entity,
                    ENTITY_ATTRIBUTE_START: match.start,
                    ENTITY_ATTRIBUTE_END: match.end,
                    ENTITY_ATTRIBUTE_VALUE: match.phrase.value,
                    ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
                }
                for match in self.gazetteer.find(message.get(TEXT) or "")
            ]
            message.set(
                ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(entities), add_to_output=True
            )
        return messages

    def persist(self) -> None:
        """Stores the folded phrases and the abbreviation table they were folded with."""
        with self._model_storage.write_to(self._resource) as model_path:
            self.gazetteer.save(model_path / self.GAZETTEER_FILE_NAME)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GazetteerEntityExtractor:
        """Loads the trained component (see parent class for full docstring)."""
        try:
            with model_storage.read_from(resource) as model_path:
                gazetteer = Gazetteer.read(model_path / cls.GAZETTEER_FILE_NAME)
        except (ValueError, FileNotFoundError):
            rasa.shared.utils.io.raise_warning(
                f"Failed to load {cls.__name__} from the model: it extracts nothing. Train the model again."
            )
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, gazetteer)


def build_gazetteer(
    training_data: TrainingData,
    entities: Optional[Sequence[str]] = None,
    min_length: int = 2,
    abbreviations: bool = True,
    owner: str = "Gazetteer",
) -> Gazetteer:
    """The lookup tables (``entities``: which; None: all) and synonyms of the training data, folded."""
    gazetteer = Gazetteer(abbreviations=load_abbreviations().folded() if abbreviations else None)

    def add(entity: str, text: str, value: str) -> bool:
        if len(fold(text).replace(" ", "")) < min_length:
            return False
        units = gazetteer.phrase_units(text)
        if not units:
            return False
        gazetteer.add(Phrase(entity, units, value))
        return True

    # Units of each synonym variant -> its canonical value, which also maps to itself.
    synonyms = {gazetteer.phrase_units(str(t)): str(t) for t in training_data.entity_synonyms.values()}
    synonyms.update(
        {gazetteer.phrase_units(str(v)): str(t) for v, t in training_data.entity_synonyms.items()}
    )
    wanted: Optional[Set[str]] = set(entities) if entities else None
    values: Dict[str, Set[str]] = {}  # canonical value -> entities it was found under
    for table in training_data.lookup_tables:
        entity = table["name"]
        if wanted is not None and entity not in wanted:
            continue
        for element in _elements(table):
            value = synonyms.get(gazetteer.phrase_units(element), element)
            if add(entity, element, value):
                values.setdefault(value, set()).add(entity)
    # A synonym variant is a phrase of every entity whose lookup table has its target.
    for variant, target in training_data.entity_synonyms.items():
        for entity in sorted(values.get(str(target), ())):
            add(entity, str(variant), str(target))

    logger.debug(
        f"{owner}: {len(gazetteer)} phrases for the entities "
        f"{sorted({phrase.entity for phrase in gazetteer.phrases})}."
    )
    if not gazetteer:
        rasa.shared.utils.io.raise_warning(
            f"{owner} found no lookup table elements to extract"
            + (f" for the entities {sorted(wanted)}" if wanted else "")
            + ". Add lookup tables to the NLU training data, or remove the component."
        )
    if gazetteer.conflicts:
        examples = "; ".join(
            f"'{later.value}' ({later.entity}) reads like '{first.value}' ({first.entity})"
            for first, later in gazetteer.conflicts[:5]
        )
        rasa.shared.utils.io.raise_warning(
            f"{owner}: {len(gazetteer.conflicts)} lookup elements are the "
            f"same once case, diacritics and abbreviations are ignored; the first one wins: "
            f"{examples}. Make them differ, or map one to the other with a synonym."
        )
    return gazetteer


def _elements(table: Dict[str, Any]) -> List[str]:
    """A lookup table's elements; like Rasa, ``elements`` may name a file with one per line."""
    elements = table.get("elements") or []
    if isinstance(elements, str):
        from rasa.nlu.utils.pattern_utils import read_lookup_table_file

        elements = read_lookup_table_file(elements)
    return [str(element).strip() for element in elements if str(element).strip()]
