"""Delivery-word lexicon: turns a stage direction such as "(angrily)" into an emotion.

The table below is meant to be read and extended by hand. Each row is
``label: (intensity, valence, words and phrases)``. Labels form a small fixed set
(``EMOTION_LABELS``) that the text-to-speech side maps onto voice styles.

``emotion_for_direction(text)`` returns ``(emotion | None, unknown_words)``:

* a delivery word found  -> ``{"label", "intensity", "valence"}`` (modifiers such as "very"
  or "slightly" scale the intensity);
* only blocking words ("turning", "to Juliet", "aside", "exit", a name...) -> ``None`` and no
  unknown words;
* words we do not know -> ``None`` (read as neutral) and the list of those words, so the
  caller can warn about them.
"""

import re
from functools import lru_cache

EMOTION_LABELS = (
    "angry", "sad", "happy", "excited", "afraid", "soft", "whisper", "shout", "sarcastic",
    "tender", "surprised", "disgusted", "calm", "nervous", "laughing", "crying", "cold",
    "urgent", "neutral",
)

# label: (base intensity, valence, words / phrases)
_TABLE: dict[str, tuple[float, str, tuple[str, ...]]] = {
    "angry": (0.8, "negative", (
        "angrily", "angry", "anger", "in anger", "furious", "furiously", "in a fury", "enraged",
        "raging", "rage", "irritated", "irritably", "annoyed", "crossly", "cross", "fiercely",
        "hotly", "indignantly", "indignant", "snapping", "snaps", "heatedly", "wrathfully",
        "livid", "through gritted teeth", "exasperated", "impatiently", "impatient", "sharply",
        "savagely", "bitterly", "grumpy", "grumpily", "gruffly", "gruff", "sulkily", "sulky",
        "outraged", "menacingly", "threateningly", "defiantly",
    )),
    "sad": (0.6, "negative", (
        "sadly", "sad", "sorrowfully", "sorrowful", "mournfully", "mournful", "gloomily",
        "gloomy", "dejected", "dejectedly", "heartbroken", "miserably", "miserable", "wistfully",
        "wistful", "forlornly", "forlorn", "despairing", "despairingly", "in despair", "glumly",
        "melancholy", "grieving", "regretfully", "sighing", "sighs", "with a sigh", "hopelessly",
        "wearily", "tired", "tiredly", "downcast", "sombrely", "somberly",
    )),
    "happy": (0.6, "positive", (
        "happily", "happy", "joyfully", "joyful", "joyously", "cheerfully", "cheerful", "gladly",
        "glad", "delighted", "delightedly", "brightly", "smiling", "smiles", "with a smile",
        "beaming", "merrily", "merry", "gaily", "gleefully", "pleased", "contentedly", "warmly",
        "proudly", "playfully", "teasing", "teasingly", "relieved", "with relief", "grinning",
        "grins", "amused", "lightly", "airily",
    )),
    "excited": (0.7, "positive", (
        "excited", "excitedly", "eagerly", "eager", "enthusiastically", "thrilled", "breathlessly",
        "breathless", "elated", "ecstatic", "exuberantly", "animated", "animatedly", "overjoyed",
        "in high spirits", "jubilant", "triumphantly", "triumphant",
    )),
    "afraid": (0.7, "negative", (
        "afraid", "fearfully", "fearful", "frightened", "scared", "terrified", "in terror",
        "in fear", "panicked", "panicking", "alarmed", "in alarm", "horrified", "trembling",
        "shaking", "shivering", "aghast", "timidly", "timid", "with dread",
    )),
    "soft": (0.4, "neutral", (
        "softly", "soft", "quietly", "quiet", "gently", "gentle", "low", "in a low voice",
        "under his breath", "under her breath", "under their breath", "murmuring", "murmurs",
        "mumbling", "mumbles", "hushed", "faintly", "faint", "to herself", "to himself",
        "to themselves",
    )),
    "whisper": (0.5, "neutral", (
        "whispering", "whispers", "whispered", "whisper", "in a whisper", "whisperingly",
        "sotto voce", "barely audible",
    )),
    "shout": (0.9, "neutral", (
        "shouting", "shouts", "shouted", "shout", "yelling", "yells", "yell", "screaming",
        "screams", "scream", "loudly", "loud", "bellowing", "bellows", "calling out", "calls out",
        "crying out", "cries out", "calls", "roaring", "roars", "at the top of her voice",
        "at the top of his voice", "hollering",
    )),
    "sarcastic": (0.6, "negative", (
        "sarcastically", "sarcastic", "sardonically", "sardonic", "mockingly", "mocking",
        "ironically", "ironic", "wryly", "dryly", "drily", "scornfully", "scornful",
        "sneering", "sneers", "derisively", "with contempt", "contemptuously", "haughtily",
        "superciliously", "condescendingly", "smugly", "smug",
    )),
    "tender": (0.6, "positive", (
        "tenderly", "tender", "lovingly", "loving", "affectionately", "fondly", "sweetly",
        "kindly", "warmly and softly", "soothingly", "soothing", "caressing", "with love",
        "adoringly", "passionately", "earnestly", "sincerely", "sympathetically",
    )),
    "surprised": (0.7, "neutral", (
        "surprised", "in surprise", "with surprise", "astonished", "in astonishment",
        "amazed", "in amazement", "startled", "shocked", "stunned", "incredulous",
        "incredulously", "bewildered", "puzzled", "confused", "taken aback", "gasping", "gasps",
        "wide-eyed", "disbelieving", "in disbelief",
    )),
    "disgusted": (0.7, "negative", (
        "disgusted", "in disgust", "with disgust", "disgustedly", "revolted", "repulsed",
        "with distaste", "distastefully", "contemptuous",
    )),
    "calm": (0.3, "neutral", (
        "calmly", "calm", "evenly", "coolly", "serenely", "patiently", "steadily",
        "matter-of-factly", "reassuringly", "reasonably", "gravely", "seriously", "solemnly",
        "thoughtfully", "slowly", "deliberately", "firmly", "simply", "politely", "formally",
        "stiffly", "languidly",
    )),
    "nervous": (0.6, "negative", (
        "nervously", "nervous", "anxiously", "anxious", "hesitantly", "hesitating", "hesitant",
        "uncertainly", "uneasily", "uneasy", "awkwardly", "shyly", "shy", "stammering",
        "stammers", "stuttering", "stutters", "embarrassed", "sheepishly", "guiltily",
        "worried", "worriedly", "confusedly", "flustered", "with a fearful stutter",
    )),
    "laughing": (0.7, "positive", (
        "laughing", "laughs", "laughingly", "with a laugh", "giggling", "giggles", "chuckling",
        "chuckles", "cackling", "snickering", "through laughter",
    )),
    "crying": (0.8, "negative", (
        "crying", "cries", "weeping", "weeps", "sobbing", "sobs", "in tears", "through tears",
        "tearfully", "tearful", "sniffling", "sniffles", "choking back tears", "with a sob",
        "wailing", "wails",
    )),
    "cold": (0.6, "negative", (
        "coldly", "cold", "icily", "icy", "with icy coldness", "frostily", "curtly", "flatly",
        "stonily", "stony", "harshly", "sternly", "stern", "severely", "grimly", "grim",
        "haughty", "disdainfully", "dismissively", "indifferently", "bluntly",
    )),
    "urgent": (0.7, "neutral", (
        "urgently", "urgent", "hurriedly", "hurried", "quickly", "speaking quickly", "rapidly",
        "in a hurry", "frantically", "frantic", "desperately", "desperate", "insistently",
        "pleading", "pleadingly", "begging", "imploring", "imploringly", "commanding",
        "breathless with haste",
    )),
    "neutral": (0.0, "neutral", ("neutral", "neutrally", "normally", "plainly", "flat")),
}

# Words that change the intensity of the delivery word that follows them.
MODIFIERS: dict[str, float] = {
    "very": 1.25, "really": 1.2, "extremely": 1.4, "incredibly": 1.4, "so": 1.15, "too": 1.15,
    "quite": 1.1, "most": 1.2, "more": 1.1, "increasingly": 1.15, "utterly": 1.4, "totally": 1.3,
    "deeply": 1.3, "terribly": 1.3, "wildly": 1.4, "suddenly": 1.1, "almost": 0.8,
    "slightly": 0.6, "a little": 0.6, "a bit": 0.6, "a little bit": 0.5, "somewhat": 0.7,
    "rather": 0.85, "barely": 0.5, "mildly": 0.6, "half": 0.6, "less": 0.8,
}

# Blocking and staging words: they say where or when, not how. No emotion, no warning.
BLOCKING = frozenset("""
aside apart beat pause pauses pausing silence silent turning turns turn turned enter enters
entering exit exits exiting exeunt re-enter re-enters reenter manet manent crosses cross crossing
sits sitting sit seated rising rises rise stands standing stand up down kneels kneeling kneel
goes going go comes coming come walks walking walk runs running run moves moving move steps
stepping step looks looking look glancing glances glance points pointing point reads reading
writes writing gives giving give takes taking take hands handing puts putting holds holding
opens opening closes closing shuts shutting picks picking lifts lifting drops dropping throws
throwing drinks drinking eats eating falls falling dies dying kisses kissing hugs hugging
embraces embracing shakes nods nodding bows bowing waves waving follows following leaves leaving
approaches approaching retreats retreating returns returning draws drawing fights fighting
stabs strikes striking dances dancing sings singing plays playing knocks knocking rings ringing
pours pouring continuing continues continued interrupting interrupts interrupted
stops stopping starts starting beginning begins finally again still then now after before
while later within without offstage off on stage onstage above below behind front back
side left right centre center across around over into out from at to towards toward
for with by of in the a an and or but his her their its him them he she they it this that
these those who which as upon away here there door window table chair sofa bed stove
room hall garden stairs steps letter book sword knife phone piano fire tree glass cup tea
audience crowd all others both everyone together each other alone herself himself
themselves everybody someone servant servants attendants music sound noise heard
reading aloud aloud pen hand hands head arm arms eyes face feet knees gloves hat coat
speaking speaks says saying said answering answers reply replies replying
v.o o.s o.c cont'd contd cont voice-over voiceover
""".split())

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

_PHRASES: dict[str, tuple[str, float, str]] = {}
for _label, (_intensity, _valence, _words) in _TABLE.items():
    for _w in _words:
        _PHRASES.setdefault(_w, (_label, _intensity, _valence))

LEXICON: dict[str, dict] = {
    phrase: {"label": label, "intensity": intensity, "valence": valence}
    for phrase, (label, intensity, valence) in _PHRASES.items()
}
_MAX_PHRASE = max(len(p.split()) for p in list(_PHRASES) + list(MODIFIERS))
_MAX_WORDS = 60  # longer directions are stage business: scan only the first words
# First words of the phrases of several words ("a" of "a little"): only they need the longer tries.
_PHRASE_STARTS = frozenset(p.split(" ")[0] for p in list(_PHRASES) + list(MODIFIERS) if " " in p)


def emotion_for_direction(
    text: str, names: frozenset[str] | set[str] = frozenset()
) -> tuple[dict | None, list[str]]:
    """Emotion of a delivery direction and the words in it we did not recognise.

    ``names`` are lower-cased character name words; they count as blocking words.
    """
    best, candidates = _scan(text[:2000])
    unknown = [w for w in candidates if w not in names]
    if best is None:
        return None, unknown
    return {"label": best[0], "intensity": best[1], "valence": best[2]}, unknown


@lru_cache(maxsize=1024)
def _scan(text: str) -> tuple[tuple[str, float, str] | None, tuple[str, ...]]:
    """(label, intensity, valence) of the strongest delivery word in the first 2000 characters of
    a direction, and the words not recognised there, before character names are taken out.

    Cached, as plays repeat directions ("Aside", "Sings"); emotion_for_direction builds a new
    dict and list from the cached tuples for each call, so callers may change what they get.
    """
    raw = _WORD.findall(text)[:_MAX_WORDS]
    words = [w.replace("’", "'").casefold() for w in raw]
    best: tuple[str, float, str] | None = None
    unknown: list[str] = []
    scale = 1.0
    i, n = 0, len(words)
    while i < n:
        matched = False
        longest = min(_MAX_PHRASE, n - i) if words[i] in _PHRASE_STARTS else 1
        for size in range(longest, 0, -1):
            phrase = " ".join(words[i:i + size]) if size > 1 else words[i]
            if phrase in MODIFIERS:
                scale *= MODIFIERS[phrase]
                i += size
                matched = True
                break
            hit = _PHRASES.get(phrase)
            if hit is not None:
                label, intensity, valence = hit
                value = min(1.0, max(0.05, intensity * scale)) if intensity else 0.0
                if best is None or value > best[1]:
                    best = (label, round(value, 2), valence)
                scale = 1.0
                i += size
                matched = True
                break
        if matched:
            continue
        word = words[i]
        if i and raw[i][0].isupper():
            pass  # a capitalised word after the first one is a name ("to Juliet")
        elif word not in BLOCKING and len(word) > 1:
            unknown.append(word)
        i += 1
    return best, tuple(unknown)
