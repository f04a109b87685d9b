from __future__ import annotations

import copy
import logging
from typing import Any, Dict, List, Set

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.config_errors import invalid_config
from bot.text import strip_diacritics

logger = logging.getLogger(__name__)


# Registered as a tokenizer-stage component because in the default recipe only tokenizers
# and featurizers have a `process_training_data` node, and only those nodes' output is the
# training data that the next components (the tokenizer, the featurizers, DIET) receive.
# It is not a `Tokenizer` subclass, so Rasa's "one tokenizer" check does not count it.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class DiacriticFreeAugmenter(GraphComponent):
    """Adds a copy without diacritics of each accented intent example, at training only."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Returns the component's default config."""
        return {
            # false: pass the training data through unchanged, to measure what the copies bring
            # without changing the graph
            "enabled": True,
        }

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Validates that the component is configured properly."""
        if not isinstance(config.get("enabled"), bool):
            invalid_config(cls, config, "enabled", "true or false")

    def __init__(self, config: Dict[str, Any]) -> None:
        """Creates the component."""
        self._config = {**self.get_default_config(), **config}
        self.validate_config(self._config)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DiacriticFreeAugmenter:
        """Creates a new component (see parent class for full docstring)."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Returns the training data with the diacritic-free copies added."""
        if not self._config["enabled"]:
            return training_data
        copies = self.copies(training_data)
        logger.info(
            f"{self.__class__.__name__}: added {len(copies)} copies without diacritics to "
            f"{len(training_data.intent_examples)} intent examples."
        )
        if not copies:
            return training_data
        return TrainingData(
            training_examples=[*training_data.training_examples, *copies],
            entity_synonyms=training_data.entity_synonyms,
            regex_features=training_data.regex_features,
            lookup_tables=training_data.lookup_tables,
            responses=training_data.responses,
        )

    def copies(self, training_data: TrainingData) -> List[Message]:
        """A diacritic-free copy of each intent example that has diacritics.

        No copy when its text is already an example or a copy, of any intent: a copy must not
        give a text a second label. No copy of an example with entities whose text changes
        length, or whose entities' words move, as its entity offsets would no longer fit (NFC
        text does neither).
        """
        texts: Set[str] = {example.get(TEXT) for example in training_data.intent_examples}
        copies = []
        for example in training_data.intent_examples:
            if example.get(TOKENS_NAMES[TEXT]):
                raise InvalidConfigException(
                    f"{self.__class__.__name__} must come before the tokenizer in the pipeline of "
                    f"config.yml: its copies have to be tokenized like user messages."
                )
            text = example.get(TEXT)
            stripped = strip_diacritics(text)
            if stripped in texts or not _offsets_fit(text, stripped, example.get(ENTITIES) or []):
                continue
            texts.add(stripped)
            data = copy.deepcopy(example.data)
            data[TEXT] = stripped
            copies.append(Message(data=data))
        return copies

    def process(self, messages: List[Message]) -> List[Message]:
        """Leaves messages unchanged: the copies are for training only."""
        return messages


def _offsets_fit(text: str, stripped: str, entities: List[Dict[str, Any]]) -> bool:
    """True if each entity's offsets hold the same words, without diacritics, in ``stripped``.

    The same length is not enough: outside NFC one character can lose a mark ("e\u0301" -> "e")
    and another grow ("\u0f43" -> "\u0f42\u0fb7"), which moves the words between them.
    """
    return not entities or (
        len(stripped) == len(text)
        and all(
            stripped[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]]
            == strip_diacritics(text[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]])
            for entity in entities
        )
    )
