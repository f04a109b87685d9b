from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.config_errors import invalid_config
from bot.text import fold


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SyllableCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Counts each token's diacritic-free syllables, so features agree however underthesea segments.

    underthesea makes one word of "kích hoạt tài khoản" but four of "kich hoat tai khoan";
    the syllables "kich", "hoat", "tai", "khoan" are the same in both. Each token still gets
    one row of features (its syllable counts), as DIET needs.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Returns the component's default config."""
        return {
            # Set this if the featurizer is used more than once, to tell their features apart
            "alias": None,
            # Whether intents, responses and text share one vocabulary
            "use_shared_vocab": False,
            # Count words ("word") or character n-grams ("char", "char_wb"); with "word" the
            # words are the syllables
            "analyzer": "word",
            # sklearn's accent stripping; not needed, the syllables are folded already
            "strip_accents": None,
            # Words to ignore: a list, or None
            "stop_words": None,
            # Minimum number (int) or share (float) of examples a syllable must be in
            "min_df": 1,
            # Maximum number (int) or share (float) of examples a syllable may be in
            "max_df": 1.0,
            # Smallest n-gram of syllables (or characters) to count
            "min_ngram": 1,
            # Largest n-gram; 2 adds syllable pairs ("kich hoat") to the sentence features
            "max_ngram": 1,
            # Largest vocabulary, or None
            "max_features": None,
            # Lower-case before counting (the folded syllables are lower case anyway)
            "lowercase": True,
            # Must stay None: Rasa compares a whole token with the vocabulary to find
            # out-of-vocabulary words, and here the vocabulary holds syllables
            "OOV_token": None,
            # Words to treat as out of vocabulary (only with OOV_token)
            "OOV_words": [],
            # Count the token's lemma (true: abbreviations expanded) or its text (false)
            "use_lemma": True,
            # What separates the syllables of a lemma: the tokenizer's `lemma_joiner`
            "syllable_separator": "_",
        }

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Validates that the component is configured properly."""

        def fail(key: str, expected: str) -> None:
            invalid_config(cls, config, key, expected)

        if not isinstance(config.get("syllable_separator"), str) or not config["syllable_separator"]:
            fail("syllable_separator", "a non-empty string (the tokenizer's lemma_joiner)")
        if config.get("OOV_token") is not None:
            fail("OOV_token", "null (out-of-vocabulary tokens do not work on syllables)")

    def _get_message_tokens_by_attribute(self, message: Message, attribute: str) -> List[str]:
        tokens = super()._get_message_tokens_by_attribute(message, attribute)
        if attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
            return tokens  # intents and action names stay whole labels
        separator = self._config["syllable_separator"]
        return [fold(token.replace(separator, " ")) for token in tokens]
