from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Sequence

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.abbreviations import Abbreviations, load_abbreviations
from bot.nlu.config_errors import invalid_config
from bot.nlu.normalization import Word, normalize_piece, segment
from bot.text import strip_diacritics


def _syllables(text: str) -> List[str]:
    """One word per syllable, punctuation apart (as the pieces of ``segment`` are cut)."""
    return _SYLLABLE.findall(text)


_SYLLABLE = re.compile(r"\w+|[^\w\s]")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Segments Vietnamese into words with underthesea, with offsets into the original text."""

    @staticmethod
    def supported_languages() -> Optional[List[str]]:
        """Supported languages (see parent class for full docstring)."""
        return ["vi"]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Returns the component's default config."""
        return {
            # Join syllables into words with underthesea ("tài khoản" is one token); false
            # gives one token per syllable, so an entity may start or end inside any word
            "segment_words": True,
            # Remove tone and vowel marks from lemmas, so "tai khoan" and "tài khoản"
            # give the featurizers the same word
            "strip_diacritics": True,
            # Put between the syllables of a lemma: "_" keeps "tai_khoan" one word in
            # CountVectorsFeaturizer, " " makes it count the syllables separately
            "lemma_joiner": "_",
            # Give abbreviations from bot/nlu/abbreviations.yml the lemma of their full form
            # ("dk" -> "dang_ky", "cccd" -> "can_cuoc_cong_dan"); text and offsets unchanged
            "abbreviations": True,
            # Flag to check whether to split intents
            "intent_tokenization_flag": False,
            # Symbol on which intent should be split
            "intent_split_symbol": "_",
            # Regular expression to detect tokens
            "token_pattern": None,
            # Symbol on which prefix should be split
            "prefix_separator_symbol": None,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        """Initialize the tokenizer."""
        self.validate_config(config)
        super().__init__(config)
        self._strip_diacritics: bool = config["strip_diacritics"]
        self._lemma_joiner: str = config["lemma_joiner"]
        self._abbreviations: Optional[Abbreviations] = (
            load_abbreviations() if config["abbreviations"] else None
        )
        self._segmenter = self._load_segmenter() if config["segment_words"] else _syllables

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        """Creates a new component (see parent class for full docstring)."""
        return cls(config)

    @staticmethod
    def required_packages() -> List[str]:
        """Any extra python dependencies required for this component to run."""
        return ["underthesea"]

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        """Validates that the component is configured properly."""

        def fail(key: str, expected: str) -> None:
            invalid_config(cls, config, key, expected)

        for key in ("segment_words", "strip_diacritics", "abbreviations", "intent_tokenization_flag"):
            if not isinstance(config.get(key), bool):
                fail(key, "true or false")
        for key in ("lemma_joiner", "intent_split_symbol"):
            if not isinstance(config.get(key), str) or not config[key]:
                fail(key, "a non-empty string")
        for key in ("token_pattern", "prefix_separator_symbol"):
            if config.get(key) is not None and not isinstance(config[key], str):
                fail(key, "a string or null")
        if config.get("token_pattern"):
            try:
                re.compile(config["token_pattern"])
            except re.error as error:
                fail("token_pattern", f"a valid regular expression ({error})")

    @staticmethod
    def _load_segmenter() -> Callable[[str], Sequence[str]]:
        # Imported here so that importing the module stays cheap; the first call loads the
        # CRF model once (underthesea keeps it in a module global), so do it now rather
        # than on the first user message.
        from underthesea import word_tokenize

        def segmenter(text: str) -> Sequence[str]:
            # The text is already normalised; underthesea's own token normaliser would
            # change spellings and break the alignment.
            return word_tokenize(text, use_token_normalize=False)

        segmenter("xin chào")
        return segmenter

    def _lemma(self, word: Word) -> str:
        syllables = word.syllables
        if self._abbreviations is not None:
            # Syllable by syllable, not only whole tokens: underthesea glues abbreviations to
            # their neighbours ("gplx cần" is one word, "e hỏi" another).
            syllables = tuple(
                part for syllable in syllables for part in self._abbreviations.expand_within(syllable)
            )
        return self._finish_lemma(self._lemma_joiner.join(syllables))

    def _finish_lemma(self, lemma: str) -> str:
        return strip_diacritics(lemma) if self._strip_diacritics else lemma

    @staticmethod
    def _token(text: str, start: int, end: int, lemma: str) -> Token:
        token = Token(text[start:end], start, end)
        # Not Token(lemma=...), which takes an empty lemma for "none" and puts the raw text
        # there: a lone mark ("\u0301") strips to "", and its raw text is accented, maybe NFD.
        token.lemma = lemma
        return token

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        """Tokenizes the text of the provided attribute of the incoming message."""
        text = message.get(attribute)

        # Punctuation on its own is dropped, as WhitespaceTokenizer does: it carries no
        # intent, and a featureless token only pads DIET's sequence. Emoji and other
        # symbols are kept ("cảm ơn 👍" is thanks): CountVectorsFeaturizer's word analyzer
        # ignores them (no \w), but its char_wb analyzer gives them features.
        tokens = [
            self._token(text, word.start, word.end, self._lemma(word))
            for word in segment(text, self._segmenter)
            if not word.is_punctuation
        ]

        # Like WhitespaceTokenizer: if nothing is left (empty text, "???"), the whole
        # text is the one token. Its lemma is normalised like any other ("?\u0300" -> "?").
        if not tokens:
            tokens = [self._token(text, 0, len(text), self._finish_lemma(normalize_piece(text)))]

        return self._apply_token_pattern(tokens)
