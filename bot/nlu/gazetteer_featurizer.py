from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.exceptions import FileIOException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.config_errors import invalid_config
from bot.nlu.gazetteer_entity_extractor import (
    GAZETTEER_DEFAULTS,
    Gazetteer,
    Phrase,
    gazetteer_from_config,
    validate_gazetteer_config,
)
from bot.text import fold

_NOT_A_WORD = re.compile(r"\W+")
# The entity and value of every name on the map: one feature, whichever place it is.
MAP_PLACE = ("place", "map")


def feature_word(entity: str, value: str) -> str:
    """One word per lookup value: "account_level" "2" -> "gz_account_level_2" (folded)."""
    return "gz_" + _NOT_A_WORD.sub("_", fold(f"{entity} {value}")).strip("_")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class GazetteerFeaturizer(CountVectorsFeaturizer):
    """Tells DIET which lookup value each token belongs to: the topic named, the account level.

    Count features see "mức 1" and "mức 2" alike (Rasa turns every number into __NUMBER__),
    and a topic's name only as loose words. Here each token inside a lookup-table match
    (the same matcher as GazetteerEntityExtractor: case, diacritics and abbreviations
    ignored) counts one word for the match's entity and value, such as "gz_account_level_1"
    or "gz_procedure_name_dang_ky_xe"; the sentence features are their sum. The vocabulary
    holds the values the training examples name (a value no example names would get
    untrained weights).
    """

    GAZETTEER_FILE_NAME = "gazetteer.json"

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Returns the component's default config."""
        return {
            **CountVectorsFeaturizer.get_default_config(),
            **GAZETTEER_DEFAULTS,
            # Also match every name on the 2025 map (bot.places: today's provinces and communes,
            # former provinces, districts and communes), as one feature "gz_place_map"
            "map_places": False,
        }

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Validates that the component is configured properly."""
        if config.get("analyzer", "word") != "word":
            invalid_config(cls, config, "analyzer", '"word" (each feature is one lookup value)')
        validate_gazetteer_config(cls, config)
        if not isinstance(config.get("map_places", False), bool):
            invalid_config(cls, config, "map_places", "true or false")

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        vectorizers: Optional[Dict[str, Any]] = None,
        oov_token: Optional[str] = None,
        oov_words: Optional[List[str]] = None,
        gazetteer: Optional[Gazetteer] = None,
    ) -> None:
        super().__init__(
            config, model_storage, resource, execution_context, vectorizers, oov_token, oov_words
        )
        self.validate_config(self._config)
        self.gazetteer = gazetteer or Gazetteer()

    def train(self, training_data: TrainingData) -> Resource:
        """Builds the matcher from the lookup tables, then the vocabulary of lookup values."""
        self.gazetteer = gazetteer_from_config(training_data, self._config, self.__class__.__name__)
        if self._config["map_places"]:
            from bot.places.units import place_names

            for name in place_names():
                units = self.gazetteer.phrase_units(name)
                # a lookup phrase with the same units stays as it is (the first one wins)
                self.gazetteer.add(Phrase(MAP_PLACE[0], units, MAP_PLACE[1]))
        return super().train(training_data)

    def _get_message_tokens_by_attribute(self, message: Message, attribute: str) -> List[str]:
        if attribute != TEXT:
            return []  # intents and action names are featurized elsewhere
        tokens = message.get(TOKENS_NAMES[attribute]) or []
        if not tokens:
            return []
        matches = self.gazetteer.find(message.get(TEXT) or "")
        return [
            " ".join(
                feature_word(m.phrase.entity, m.phrase.value)
                for m in matches
                if m.start < token.end and token.start < m.end
            )
            for token in tokens
        ]

    def persist(self) -> None:
        """The vocabulary (as CountVectorsFeaturizer stores it), and the matcher beside it."""
        super().persist()
        with self._model_storage.write_to(self._resource) as model_dir:
            self.gazetteer.save(model_dir / self.GAZETTEER_FILE_NAME)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GazetteerFeaturizer:
        """Loads the vocabulary and the matcher (see parent class for full docstring)."""
        featurizer = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as model_dir:
                featurizer.gazetteer = Gazetteer.read(model_dir / cls.GAZETTEER_FILE_NAME)
        except (ValueError, FileNotFoundError, FileIOException):
            pass  # an untrained featurizer: every token gets no lookup feature
        return featurizer  # type: ignore[return-value]
