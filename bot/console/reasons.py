"""The bot's decision reasons (English log text in `comment_log.reason`) as staff read them in the console's language.

The pipeline, the engine and moderation write short English reasons ("below threshold", "intent complaint: never
auto-answered", "moderation: blocked word 「刷单」", "structured size_advice height_cm 175 → L: L"). They stay English in
the database and the logs; `explain` renders the known ones through gettext for the try page and the live feed
(where the raw reason is kept for whoever debugs). Anything it does not know is returned as it is. An intent a reason
names is shown as staff read it elsewhere, by its description with the name after it ("让主播推荐买什么
(want_recommendation)", bot/console/intent_labels.py), given the intent file's descriptions; else by its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.console import i18n
from bot.console.i18n import N_
from bot.console.i18n import gettext as _
from bot.console.intent_labels import Descriptions, intent_choice
from bot.console.lang_names import lang_name
from bot.console.message_table import MessageTable, message_table
from bot.console.message_table import first_match as _first_match

__all__ = ["NAMES_PRODUCT", "band_label", "explain", "product_how_label"]

# a reason containing this names a product by its id (a caller may pass `products` to name it)
NAMES_PRODUCT = "size advice:"

# a comment of two or three questions answered in one reply: "<n> questions: <part> | <part>" (bot/multi_question.py)
_SEVERAL = re.compile(r"(?P<n>\d) questions: (?P<parts>.+)", re.DOTALL)

# whole reasons
_EXACT = {
    "emoji only": N_("only emoji"),
    "empty comment": N_("empty comment"),
    "below threshold": N_("not sure enough: stayed silent"),
    "low confidence": N_("not sure: handed to staff"),
    "ambiguous between two FAQs": N_("two FAQs fit about equally: handed to staff"),
    "no FAQ candidates": N_("no FAQ comes close"),
    "match": N_("FAQ match"),
    # bot/multi_question.py (h/left17): several questions, only one of them understood
    "several questions, the first one not understood: an answer to a later one would answer the wrong one": N_(
        "several questions, the first one not understood: handed to staff (an answer to a later one would answer the "
        "wrong one)"
    ),
    "match: worded like one of its examples": N_("FAQ match: worded like one of its example questions"),
    "not a question, and its FAQ only answers questions": N_(
        "not a question, and the closest FAQ only answers questions: handed to staff"
    ),
    "asks about a person (the host), not the product": N_(
        "asks about the host as a person, not about the goods: handed to staff"
    ),
    "names a destination abroad, and its shipping FAQ names none": N_(
        "names a destination abroad that the matched shipping FAQ does not cover: handed to staff"
    ),
    "asks about shipping abroad: the shipping FAQ that names places": N_(
        "asks about shipping to a place abroad: answered with the international-shipping FAQ"
    ),
    "reports an order: the FAQ that thanks for orders": N_("reports an order: answered with the thank-you FAQ"),
    "asks a discount for buying several: the discount FAQ that names several": N_(
        "asks about a discount for buying several: answered with the multi-buy discount FAQ"
    ),
    "asks to exchange a size or colour: the return FAQ that names an exchange": N_(
        "asks to exchange a size or colour: answered with the exchange FAQ"
    ),
    "gives the viewer's usual size or feet: the product's size FAQ that advises": N_(
        "gives the size the viewer usually wears or their feet, asking which size to take: answered with the product's "
        "size-advice FAQ"
    ),
    "asks whether the goods are fresh: the product's shelf-life FAQ": N_(
        "asks whether the goods are fresh (when they were made): answered with the product's shelf-life FAQ, or "
        "handed to staff"
    ),
    "asks which product to get, which one product's own answer does not choose": N_(
        "asks which of the shop's products to get: one product's own answer does not choose, handed to staff"
    ),
    "a price asked for something the product's own words do not name": N_(
        "asks the price of something the product on stage is not called: handed to staff"
    ),
    "an attribute asked of something the product's own words do not name": N_(
        "asks an attribute (material, weight …) of something the product on stage is not called: handed to staff"
    ),
    "gives the viewer's usual size or foot shape: asks for size advice, not a size's stock or price": N_(
        "gives the size the viewer usually wears or their foot shape, asking which size to take: handed to staff"
    ),
    "names a return or an exchange: a delivery FAQ does not answer it": N_(
        "asks about a return or an exchange, which the matched delivery FAQ does not cover: handed to staff"
    ),
    "asks the price of several: the multi-buy discount applies, not the unit price": N_(
        "asks the price of several items (the multi-buy discount applies), not of one: handed to staff"
    ),
    "names two values of one attribute: an answer about one variant answers half": N_(
        "names two variants (compares them, or asks about both), and one variant's stock or price answers half: handed to staff"
    ),
    "asks for a size chart or advice on what suits: what is in stock does not answer it": N_(
        "asks for a size chart or for advice on what suits, which the list of what is in stock does not answer: handed to staff"
    ),
    "names a topic (halal, warranty, dishwasher, best seller …) the answer does not speak of": N_(
        "asks about something (halal, warranty, dishwasher, best seller …) the matched answer does not speak of: handed to staff"
    ),
    "another product's own FAQ, and the comment names no product: it asks about the one on stage": N_(
        "matched another product's own FAQ, but the comment names no product (it asks about the one on stage): handed to staff"
    ),
    "reports a problem with goods received: after-sales, for staff": N_(
        "reports a problem with goods already received (after-sales): handed to staff"
    ),
    # bot/staff_only.py
    "a problem with an order already placed (wrong or missing goods, a defect, payment, refund, cancel or change)": N_(
        "reports a problem with an order already placed (wrong or missing goods, a defect, payment, refund, cancelling or "
        "changing it): handed to staff"
    ),
    "an order placed a while ago has not arrived": N_("an order placed a while ago has not arrived: handed to staff"),
    "asks for a person: to be called, to talk to someone, or nobody replied": N_(
        "asks for a person (to be called, to talk to someone) or says nobody replied: handed to staff"
    ),
    "asks for what only staff can grant: holding an item, wholesale or reselling, custom printing, a card": N_(
        "asks for something only staff can grant (holding an item, wholesale or reselling, custom printing, a handwritten "
        "card): handed to staff"
    ),
    "asks whether it costs more or less: a price question, not the variant's stock": N_(
        "asks whether it costs more or less, which the variant's stock does not answer: handed to staff"
    ),
    "asks a yes/no question about a property of a variant (care, fit, colour fastness …), not its stock": N_(
        "asks about a property of a colour or size (washing, fit, fading …), which its stock does not answer: handed "
        "to staff"
    ),
    "asks which option has more of something: one product's answer does not compare them": N_(
        "asks which option is lighter, warmer, has more stock …, which an answer about one product or variant does not "
        "compare: handed to staff"
    ),
    "asks about a product shown earlier, not named: the one on stage is not it": N_(
        "asks about a product shown earlier without naming it, and the answer would be about the one on stage: handed to staff"
    ),
    "places an order in the chat: a stock answer would read as if it were taken": N_(
        "places an order in the chat (nothing is ordered by typing), and a stock answer would read as if it were taken: "
        "handed to staff"
    ),
    "asks which variant to take or whether one is worth it: one variant's stock or price does not answer": N_(
        "asks which variant to take or whether one is worth it, which one variant's stock or price does not answer: "
        "handed to staff"
    ),
    "asks whether a shade suits a skin tone: its stock or the list of shades does not answer": N_(
        "asks whether a shade suits a skin tone (warm undertone, fair, tanned …), which its stock or the list of shades "
        "does not answer: handed to staff"
    ),
    "asks how a colour looks in real life against the photos: its stock or the colours left do not answer": N_(
        "asks how a colour looks in real life compared with the photos, which its stock or the colours left do not "
        "answer: handed to staff"
    ),
    "gives the viewer's measurements: asks whether it fits, not whether a variant is left": N_(
        "gives the viewer's height, weight or foot length, asking whether it fits, which a variant's stock does not "
        "answer: handed to staff"
    ),
    "intent chit_chat": N_("chit-chat"),
    "intent spam": N_("spam"),
    "intent complaint: never auto-answered": N_("complaint: always handed to staff"),
    "moderation: contact details or a link": N_("blocked by moderation: contact details or a link"),
    "structured question about an unknown product": N_("a question about stock or price, but which product is unclear"),
    "FAQ has no answer template": N_("the FAQ has no answer text"),
    "nothing in stock fits the request": N_("nothing in stock fits the request"),
    "keyword rule no longer exists": N_("the keyword rule no longer exists"),
}

# what a structured answer was about ("structured <qtype>")
_QTYPES = {
    "stock": N_("stock"),
    "count": N_("how many are left"),
    "price": N_("price"),
    "attribute": N_("product attribute"),
    "which": N_("which options are left"),
    "restock": N_("restock"),
    "size_advice": N_("size advice"),
}

_HELD = N_("held back: the reply contains the banned word 「%(word)s」 (character %(pos)s)")
_HELD_SUGGEST = N_(
    "held back: the reply contains the banned word 「%(word)s」 (character %(pos)s); suggested instead: 「%(suggest)s」"
)

# (pattern over the whole reason, message with %(group)s for each named group)
_PATTERNS = message_table(
    (
        (r"intent (?P<intent>\w+): never auto-answered", N_("intent %(intent)s: always handed to staff")),
        (r"intent (?P<intent>\w+)", N_("intent %(intent)s")),
        (r"structured size_advice (?P<fits>.+): (?P<size>[^:]+)",
         N_("size advice from the size chart: %(fits)s; advised size %(size)s")),
        (r"structured size_advice (?P<detail>.+)", N_("size advice from the size chart: %(detail)s")),
        (r"structured (?P<qtype>\w+): nothing exact to say", N_("catalog data (%(qtype)s): nothing exact to say")),
        # "structured stock slots=size:37 not offered: shoe size 37 outside its sizes 38-44" (bot/absent_value.py)
        (r"structured (?P<qtype>\w+)(?: slots=\S+)? not offered: (?P<why>.+)",
         N_("answered from catalog data (%(qtype)s): the product does not have the value asked (%(why)s)")),
        # "structured stock slots=colour:黑色,size:43": the slots are shown beside it on the live page
        (r"structured (?P<qtype>\w+)(?: slots=(?P<slots>.+))?", N_("answered from catalog data (%(qtype)s)")),
        (r"size advice: (?P<product>\S+) has no size chart", N_("size advice: %(product)s has no size chart")),
        # bot/size_advice.py `advise`: why the chart gives no size (then handed to staff)
        (r"size advice: no size chart", N_("size advice: the product has no size chart")),
        (r"size advice: the size chart has no (?P<dims>\S+) to compare",
         N_("size advice: the size chart has no %(dims)s to compare with")),
        (r"size advice: (?P<dim>\w+) (?P<value>\S+) is outside the size chart",
         N_("size advice: %(dim)s %(value)s is outside the size chart")),
        (r"size advice: (?P<dim>\w+) (?P<value>\S+) is between two rows of the size chart",
         N_("size advice: %(dim)s %(value)s falls between two rows of the size chart")),
        (r"size advice: (?P<dim>\w+) (?P<value>\S+) spans several sizes",
         N_("size advice: %(dim)s %(value)s spans several sizes")),
        (r"size advice: the measurements point to different sizes \((?P<fits>.+)\)",
         N_("size advice: the measurements point to different sizes (%(fits)s)")),
        (r"size advice: could not read (?P<what>.+) \(which unit\?\)", N_("size advice: could not read %(what)s (which unit?)")),
        (r"moderation: blocked word (?P<word>.+)", N_("blocked by moderation: blocked word %(word)s")),
        (
            r"moderation: flood: the same text (?P<n>\d+)× from one viewer within (?P<s>[\d.]+) s",
            N_("blocked by moderation: the same text %(n)s× from one viewer within %(s)s s"),
        ),
        (
            r"moderation: flood: the same text from (?P<n>\d+) viewers within (?P<s>[\d.]+) s",
            N_("blocked by moderation: the same text from %(n)s viewers within %(s)s s"),
        ),
        (r"moderation: (?P<what>.+)", N_("blocked by moderation: %(what)s")),
        # bot/engine.py `realise`: a reply with a banned word (catalog.wordfilter.BannedWord.reason)
        (r"held: banned word 「(?P<word>[^」]*)」 at character (?P<pos>\d+); suggested 「(?P<suggest>[^」]*)」", _HELD_SUGGEST),
        (r"held: banned word 「(?P<word>[^」]*)」 at character (?P<pos>\d+)", _HELD),
        # the same, as reasons recorded before they were English (BannedWord.describe)
        (r"held: 含违禁词「(?P<word>[^」]*)」[(（]第(?P<pos>\d+)个字符[)）][,，]可改为「(?P<suggest>[^」]*)」", _HELD_SUGGEST),
        (r"held: 含违禁词「(?P<word>[^」]*)」[(（]第(?P<pos>\d+)个字符[)）]", _HELD),
        (r"held: (?P<what>.+)", N_("held back: %(what)s")),
        (
            r"rule (?P<rule>\S+): no reply in the viewer's language",
            N_("keyword rule %(rule)s: no reply in the viewer's language"),
        ),
        (
            r"rule (?P<rule>\S+): cannot render: template needs a product for (?P<placeholders>.+) but none was given",
            N_("keyword rule %(rule)s: the reply needs a product (%(placeholders)s), but the comment names none and "
               "nothing is on stage: handed to staff"),
        ),
        (r"rule (?P<rule>\S+): cannot render: (?P<what>.+)", N_("keyword rule %(rule)s: cannot fill in the reply (%(what)s)")),
        (r"rule (?P<rule>\S+)", N_("keyword rule %(rule)s")),
        (r"internal error: (?P<what>.+)", N_("internal error (%(what)s)")),
        (  # catalog.templates.render: a FAQ answer with {product}, {price} … and no product on stage or named
            r"cannot render: template needs a product for (?P<placeholders>.+) but none was given",
            N_("the answer needs a product (%(placeholders)s), but the comment names none and nothing is on stage: "
               "handed to staff"),
        ),
        (r"cannot render: (?P<what>.+)", N_("cannot fill in the answer (%(what)s)")),
        (r"no answer in the viewer's language \((?P<lang>[\w-]+)\)", N_("no answer in the viewer's language (%(lang)s)")),
        (r"no reply in (?P<lang>[\w-]+) or (?P<other>[\w-]+): (?P<what>.+)", N_("no reply in %(lang)s or %(other)s: %(what)s")),
        (r"no reply in (?P<lang>[\w-]+): (?P<what>.+)", N_("no reply in %(lang)s: %(what)s")),
    ),
    re.DOTALL,
)

# endings the engine appends to a reason ("<reason>; in en: no ja answer")
_SUFFIXES = message_table(
    (
        (
            r"(?P<head>.+); a remark \(admiration, regret, laughter\) with no question cue",
            N_("%(head)s; a remark (admiration, regret, laughter) that asks nothing: left unanswered"),
        ),
        (r"(?P<head>.+); a statement, not a request", N_("%(head)s; a statement, not a request")),
        (
            r"(?P<head>.+); the first of several questions: the only one understood",
            N_("%(head)s; the first of several questions, the only one understood: answered alone"),
        ),
        (
            r"(?P<head>.+); in (?P<lang>[\w-]+): no (?P<asked>[\w-]+) answer",
            N_("%(head)s; answered in %(lang)s: no %(asked)s answer"),
        ),
        (r"(?P<head>.+); in (?P<lang>[\w-]+): (?P<what>.+)", N_("%(head)s; answered in %(lang)s: %(what)s")),
    ),
    re.DOTALL,
)

# why a reply could not be written (catalog.phrases.MissingText / catalog.templates.RenderError's text), the `what`
# of "no reply in th: …", "…; in en: …", "cannot render: …": said in the staff language, not the engine's English
_WHAT = message_table(
    (
        (r"no (?P<lang>[\w-]+) name for product '(?P<product>[^']*)'",
         N_("product %(product)s has no name in %(lang)s")),
        (r"no (?P<lang>[\w-]+) name for a variant of product '(?P<product>[^']*)' \((?P<sku>[^)]*)\)",
         N_("a variant of product %(product)s (%(sku)s) has no name in %(lang)s")),
        (r"no (?P<lang>[\w-]+) name for (?P<attr>.+?) '(?P<value>[^']*)' of product '(?P<product>[^']*)'",
         N_("%(attr)s %(value)s of product %(product)s has no name in %(lang)s")),
        (r"no (?P<lang>[\w-]+) name for (?P<attr>.+?) '(?P<value>[^']*)'", N_("%(attr)s %(value)s has no name in %(lang)s")),
        (r"no (?P<lang>[\w-]+) word for the attribute '(?P<attr>[^']*)'", N_("the attribute %(attr)s has no word in %(lang)s")),
        (r"no (?P<lang>[\w-]+) text for the attribute '(?P<attr>[^']*)' of product '(?P<product>[^']*)'",
         N_("the attribute %(attr)s of product %(product)s has no text in %(lang)s")),
        (r"no built-in (?P<lang>[\w-]+) wording for '(?P<key>[^']*)'",
         N_("the bot has no built-in %(lang)s wording for %(key)s")),
        (r"(?P<placeholder>\{[^}]*\}) has no (?P<lang>[\w-]+) wording for product '(?P<product>[^']*)'",
         N_("%(placeholder)s has no %(lang)s wording for product %(product)s")),
        (r"the (?P<lang>[\w-]+) reply would carry (?P<script>\w+) script",
         N_("the %(lang)s reply would contain %(script)s script")),
        (r"product '(?P<product>[^']*)' has an invalid price \((?P<price>[^)]*)\)",
         N_("product %(product)s has an invalid price (%(price)s)")),
        ((r"(?P<placeholder>\{[^}]*\}): product '(?P<product>[^']*)' has no attribute '(?P<attr>[^']*)' "
         r"\(attributes: (?P<known>[^)]*)\)"),
         N_("%(placeholder)s: product %(product)s has no attribute %(attr)s (it has: %(known)s)")),
        ((r"(?P<placeholder>\{[^}]*\}): product '(?P<product>[^']*)' has no variant '(?P<attr>[^']*)' "
         r"\(variant values: (?P<known>[^)]*)\)"),
         N_("%(placeholder)s: product %(product)s has no variant %(attr)s (its variants: %(known)s)")),
        (r"(?P<placeholder>\{[^}]*\}): product '(?P<product>[^']*)' has no variants with a (?P<attr>.+)",
         N_("%(placeholder)s: product %(product)s has no variants with a %(attr)s")),
    ),
    re.DOTALL,
)

# the size chart's dimensions (catalog.size_chart.DIMENSIONS) as the product page's chart names them
_DIMENSIONS = {"height_cm": N_("height (cm)"), "weight_kg": N_("weight (kg)"), "foot_mm": N_("foot length (mm)")}

_LANG_GROUPS = ("lang", "asked", "other")  # the named groups of the tables above that hold a language code


def first_match(table: MessageTable, text: str) -> tuple[str, dict[str, str]] | None:
    """`message_table.first_match`, with the language codes a reason quotes named in the staff member's language:
    "no vi answer" reads 没有越南语回答 / no Vietnamese answer (an unknown code stays as it is)."""
    found = _first_match(table, text)
    if found is not None:
        for group in _LANG_GROUPS:
            if found[1].get(group):
                found[1][group] = lang_name(found[1][group])
    return found

_BANDS = {"answer": N_("answer"), "recommend": N_("recommend"), "staff": N_("staff"), "silent": N_("silent")}
_PRODUCT_HOW = {
    "named": N_("named in the comment"),
    "platform": N_("tagged by the platform"),
    "stage": N_("on stage"),
    "none": N_("none"),
}


def explain(
    reason: str | None, ui: str | None = None, intents: Descriptions | None = None,
    products: Mapping[str, str] | None = None,
) -> str:
    """`reason` in the console's language (or `ui`): the known parts translated, the rest as it is; "" for none.
    `intents` (intent_labels.intent_descriptions) names an intent by its description; `products` ({id: name in the
    staff language}) a product by its name, the id after it."""
    if ui is not None:
        with i18n.language(ui):
            return explain(reason, intents=intents, products=products)
    text = (reason or "").strip()
    if not text:
        return ""
    if text in _EXACT:
        return _(_EXACT[text])
    several = _SEVERAL.fullmatch(text)
    if several is not None:  # bot/multi_question.py: "2 questions: structured price | structured stock slots=size:XL"
        parts = [explain(part, intents=intents, products=products) for part in several.group("parts").split(" | ")]
        return _("%(n)s questions in one comment, each answered: %(parts)s") % {
            "n": several.group("n"), "parts": _("; ").join(parts),
        }
    suffix = first_match(_SUFFIXES, text)
    if suffix is not None:
        message, values = suffix
        values["head"] = explain(values["head"], intents=intents, products=products)
        if "what" in values:
            values["what"] = _what(values["what"], products)
        return _(message) % values
    whole = first_match(_PATTERNS, text)
    if whole is None:
        return text
    message, values = whole
    if values.get("qtype") in _QTYPES:
        values["qtype"] = _(_QTYPES[values["qtype"]])
    if "intent" in values:
        values["intent"] = intent_choice(values["intent"], intents or {})
    if "what" in values:
        values["what"] = _what(values["what"], products)
    if "dim" in values:
        values["dim"] = _(_DIMENSIONS[values["dim"]]) if values["dim"] in _DIMENSIONS else values["dim"]
    if "fits" in values:  # "height_cm 175 → L; weight_kg 60 → L/XL": the chart's dimensions by their names
        values["fits"] = _("; ").join(_fit(fit) for fit in values["fits"].split("; "))
    if "dims" in values:
        values["dims"] = "/".join(_(_DIMENSIONS[d]) if d in _DIMENSIONS else d for d in values["dims"].split("/"))
    if "placeholders" in values:  # "{product}, {price}" → "{product}、{price}"
        values["placeholders"] = _(", ").join(values["placeholders"].split(", "))
    if "product" in values and (products or {}).get(values["product"]) not in (None, "", values["product"]):
        values["product"] = f"{products[values['product']]} ({values['product']})"  # type: ignore[index]
    return _(message) % values


def _fit(text: str) -> str:
    """One "<dimension> <value> → <sizes>" of a size-advice reason, the dimension named as the size chart names it."""
    dim, _sep, rest = text.partition(" ")
    return f"{_(_DIMENSIONS[dim])} {rest}" if dim in _DIMENSIONS else text


def _what(text: str, products: Mapping[str, str] | None) -> str:
    """Why a reply could not be written (`_WHAT`) in the staff language; anything else as it is."""
    found = first_match(_WHAT, text)
    if found is None:
        return text
    message, values = found
    if (products or {}).get(values.get("product", "")) not in (None, "", values.get("product")):
        values["product"] = f"{products[values['product']]} ({values['product']})"  # type: ignore[index]
    return _(message) % values


def band_label(band: str) -> str:
    """answer / recommend / staff / silent in the console's language."""
    return _(_BANDS[band]) if band in _BANDS else band


def product_how_label(how: str | None) -> str:
    """How the product of a comment was found (named / platform / stage / none)."""
    if not how:
        return ""
    return _(_PRODUCT_HOW[how]) if how in _PRODUCT_HOW else how
