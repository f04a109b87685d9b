"""Knowledge base of procedures: YAML content in data/kb, loaded into SQL, queried as plain data."""

from bot.kb.content import CATEGORIES, ContentError, ContentIssue, load_content
from bot.kb.loader import LoadReport, load_kb
from bot.kb.queries import KnowledgeBase, KnowledgeBaseMissing, Link, Match, Procedure

__all__ = [
    "CATEGORIES",
    "ContentError",
    "ContentIssue",
    "KnowledgeBase",
    "KnowledgeBaseMissing",
    "Link",
    "LoadReport",
    "Match",
    "Procedure",
    "load_content",
    "load_kb",
]
