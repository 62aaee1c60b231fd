"""A comparison with something that is not the product ("这个和小棕瓶比哪个好用", "is it better than the ordinary
niacinamide?", "so với serum Some By Mi thì sao", "¿es mejor que el de La Roche-Posay?"): the other side is another
brand's product (or anything the catalog does not describe), which no FAQ or attribute of the product speaks of —
the serum's 30-vs-50 ml FAQ answers a choice between its own sizes, not against 小棕瓶.

The other side is read after the comparison words of zh, en, vi, id, es, ja, ko, th; it is the product's own when its
words are among the product's own words (bot/guards.py: names, aliases, descriptions, FAQ examples, attribute texts):
"30ml跟50ml比哪个划算" compares the serum's own sizes and stays answered. Pure functions of the text and the catalog.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from bot.guards import about_own_product

if TYPE_CHECKING:
    from catalog.snapshot import CatalogSnapshot

__all__ = ["OTHER_SIDE", "compared_with", "compares_with_another"]

OTHER_SIDE = "compares the product with something its own words do not name (another brand's product)"

_THIS = re.compile(
    r"^(?:这个|這個|这款|這款|那个|那個|这|這|它|它们|this|this one|it|these|that|that one|cái này|cai nay|ini|este|esta|esto)$"
)
_SIDE = (
    re.compile(r"([^\s,，。?？!！]{1,8}?)的?(?:和|跟|与|與|同)(?:这个|這個|这款|這款|它)(?:比|相比|对比|對比)"),
    re.compile(r"(?:和|跟|与|與|同)([^\s,，。?？!！]{1,8}?)(?:比|相比|对比|對比)"),
    re.compile(
        r"\b(?:better|worse|cheaper|different) than (?:the |a |an |my )?([a-z0-9][\w'&.-]*(?: [\w'&.-]+){0,3}?)"
        r"\s*(?:\?|$|,|\bor\b)"
    ),
    re.compile(r"\b(?:compared? (?:to|with)|vs\.?|versus) (?:the |a |my )?([a-z0-9][\w'&.-]*(?: [\w'&.-]+){0,3}?)\s*(?:\?|$|,)"),
    re.compile(r"\bso (?:với|voi)\s+(.{2,30}?)\s+(?:thì|thi|cái nào|cai nao|loại nào|loai nao|có|co|như|nhu|ra sao|sao)\b"),
    re.compile(r"\b(?:dibanding(?:kan|in)?|daripada|drpd)\s+(.{2,30}?)(?:\s+(?:mana|lebih|bagus|gimana|gmn|kak|ka)\b|\?|$)"),
    re.compile(r"\b(?:mejor|peor|diferente)s? que (?:el |la |los |las )?(?:de |del )?(.{2,30}?)\s*(?:\?|$|,)"),
    re.compile(r"\bcomparad[oa]s? con (?:el |la |los |las )?(?:de |del )?(.{2,30}?)\s*(?:\?|$|,)"),
    re.compile(r"([^\s、。?？]{2,10}?)(?:と比べ|と比較|より(?:良|い|安|高))"),
    re.compile(r"([^\s?]{2,10}?)(?:이랑|랑|하고|와|과) 비교"),
    re.compile(r"เทียบกับ\s*([^\s?]{2,15})"),
)


def compared_with(text: str) -> str | None:
    """The other side of a comparison ``text`` makes ("小棕瓶", "the ordinary niacinamide"), or None."""
    folded = unicodedata.normalize("NFKC", text or "").casefold().strip()
    for pattern in _SIDE:
        m = pattern.search(folded)
        if m:
            side = m.group(1).strip(" ?？")
            if side and not _THIS.fullmatch(side):
                return side
    return None


def compares_with_another(text: str, product_id: str, snapshot: CatalogSnapshot) -> bool:
    """Does ``text`` compare the product with something that is not among ``product_id``'s own words?"""
    side = compared_with(text)
    if side is None:
        return False
    words = [w for w in re.split(r"[\s,/]+", side) if w and not _THIS.fullmatch(w) and w not in _FILLER]
    return bool(words) and not about_own_product(words, product_id, snapshot)


_FILLER = frozenset("the a an one ones of de del el la los las yang thì cái loại".split())
