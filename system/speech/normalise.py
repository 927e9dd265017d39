"""Russian text made speakable before synthesis: ``normalise(text)`` spells out
every number the way a Russian notification reads it, so the engine never
sees a digit.

Passes run in order, each a regular expression whose matches are replaced by
words (``num2words`` with ``lang="ru"`` does the numerals, with case and
gender): dates (``02.12.2026``, ``2026-12-02``, ``2 декабря 2026 г.`` ->
"второго декабря две тысячи двадцать шестого года"), times (``14:30`` ->
"четырнадцать часов тридцать минут"), phone numbers (``+7 (912) 345-67-89``:
digit groups, a group with a leading zero digit by digit), percentages and
roubles with the noun agreeing, ``№``, common abbreviations (``ул.``, ``д.``,
``г.``, ``кв.``, ...), then every other number: a cardinal whose case follows
the preposition before it (``до 5`` -> "до пяти") and whose gender follows
the noun after it (``2 минуты`` -> "две минуты"). Anything the passes left
is read digit by digit, so the result has no ASCII digit whatever the input.
Pure: no I/O, no state.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Final

from num2words import num2words

Case = str  # num2words' case names: "nominative", "genitive", "dative", ...
Gender = str  # "m", "f", "n"

MAX_NUMBER_DIGITS: Final = 15  # longer runs are read in digit groups
DIGITS: Final = ("ноль", "один", "два", "три", "четыре",
                 "пять", "шесть", "семь", "восемь", "девять")  # fmt: skip
MONTHS: Final = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                 "августа", "сентября", "октября", "ноября", "декабря")  # fmt: skip

# the case a cardinal takes after these prepositions (the common notification phrases)
CASE_AFTER: Final = {
    **dict.fromkeys(("до", "от", "из", "около", "более", "менее", "свыше", "после",
                     "без", "для", "кроме", "с", "со", "у", "от"), "genitive"),
    **dict.fromkeys(("к", "ко"), "dative"),
    **dict.fromkeys(("о", "об", "при"), "prepositional"),
    **dict.fromkeys(("между", "над", "под", "перед"), "instrumental"),
}  # fmt: skip
# stems of nouns after a number that make it feminine or neuter ("две минуты", "одно место")
FEMININE_STEMS: Final = ("минут", "секунд", "недел", "тысяч", "копе", "штук", "смен", "квартир",
                         "групп", "попыт", "линии", "линия", "линий", "единиц")  # fmt: skip
NEUTER_STEMS: Final = ("сообщени", "мест", "здани", "окн", "лиц", "средств", "уведомлени")

ABBREVIATIONS: Final = {
    "ул.": "улица", "д.": "дом", "г.": "город", "кв.": "квартира", "корп.": "корпус",
    "стр.": "строение", "пер.": "переулок", "просп.": "проспект", "пр-т": "проспект",
    "обл.": "область", "р-н": "район", "тел.": "телефон", "им.": "имени",
    "т.д.": "так далее", "т.п.": "тому подобное", "т.е.": "то есть", "мин.": "минут",
    "сек.": "секунд", "пос.": "посёлок", "наб.": "набережная", "пл.": "площадь",
}  # fmt: skip

HOURS: Final = (("час", "часа", "часов"), ("часа", "часов"))
MINUTES: Final = (("минута", "минуты", "минут"), ("минуты", "минут"))
SECONDS: Final = (("секунда", "секунды", "секунд"), ("секунды", "секунд"))
PERCENT: Final = (("процент", "процента", "процентов"), ("процента", "процентов"))
ROUBLES: Final = (("рубль", "рубля", "рублей"), ("рубля", "рублей"))

# (nominative forms for 1 / 2-4 / 5+, genitive forms for 1 / other)
NounForms = tuple[tuple[str, str, str], tuple[str, str]]


def cardinal(number: int, case: Case = "nominative", gender: Gender = "m") -> str:
    """``number`` in words; a run too long for a numeral is read in digits."""
    if len(str(abs(number))) > MAX_NUMBER_DIGITS:
        return digits(str(abs(number))) if number >= 0 else "минус " + digits(str(-number))
    try:
        return str(num2words(number, lang="ru", case=case, gender=gender))
    except (KeyError, ValueError, OverflowError, TypeError, IndexError):
        return str(num2words(number, lang="ru"))


def ordinal(number: int, case: Case = "nominative", gender: Gender = "m") -> str:
    """``number`` as an ordinal ("второго", "две тысячи двадцать шестого")."""
    return str(num2words(number, lang="ru", to="ordinal", case=case, gender=gender))


def digits(run: str) -> str:
    """Each ASCII digit of ``run`` as a word."""
    return " ".join(DIGITS[int(char)] for char in run if "0" <= char <= "9")


def noun(number: int, forms: NounForms, case: Case = "nominative") -> str:
    """The form of a counted noun after ``number`` ("1 час", "2 часа", "5 часов")."""
    last_two, last = abs(number) % 100, abs(number) % 10
    one = last == 1 and last_two != 11
    if case != "nominative" and case != "accusative":
        return forms[1][0] if one else forms[1][1]
    if one:
        return forms[0][0]
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return forms[0][1]
    return forms[0][2]


def counted(number: int, forms: NounForms, gender: Gender, case: Case) -> str:
    """``number`` with its noun agreeing ("двадцать одна минута")."""
    if case not in ("nominative", "accusative", "genitive"):
        case = "nominative"  # the noun tables hold these cases only
    return f"{cardinal(number, case, gender)} {noun(number, forms, case)}"


def _case_before(text: str, start: int) -> Case:
    """The case the preposition just before ``start`` asks for (nominative when none)."""
    match = re.search(r"(\w+)\s*$", text[max(0, start - 20) : start])
    return "nominative" if match is None else CASE_AFTER.get(match.group(1).lower(), "nominative")


def _gender_after(text: str, end: int) -> Gender:
    match = re.match(r"\s*(\w+)", text[end : end + 30])
    word = match.group(1).lower() if match else ""
    if word.startswith(FEMININE_STEMS):
        return "f"
    return "n" if word.startswith(NEUTER_STEMS) else "m"


def _accusative_after(text: str, end: int) -> bool:
    """Whether the feminine noun after ``end`` is in the accusative singular (минуту)."""
    match = re.match(r"\s*(\w+)", text[end : end + 30])
    return match is not None and match.group(1).lower().endswith(("у", "ю"))


def _date(day: int, month: int, year: int | None) -> str | None:
    if year is not None and year < 100:
        year += 2000
    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        return None
    words = f"{ordinal(day, 'genitive', 'n')} {MONTHS[month - 1]}"
    return words if year is None else f"{words} {ordinal(year, 'genitive')} года"


YEAR_WORD = r"(?:\s*(?:г\.|года?\b))?"


def _numeric_dates(text: str) -> str:
    def parts(match: re.Match[str]) -> str:  # not a real date: its numbers one by one
        return ", ".join(cardinal(int(group)) for group in match.group(1, 2, 3))

    def dotted(match: re.Match[str]) -> str:
        day, month, year = (int(group) for group in match.group(1, 2, 3))
        return _date(day, month, year) or parts(match)

    def iso(match: re.Match[str]) -> str:
        year, month, day = (int(group) for group in match.group(1, 2, 3))
        return _date(day, month, year) or parts(match)

    text = re.sub(rf"(?<![\d.])(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}|\d{{2}})(?![\d.]\d){YEAR_WORD}",
                  dotted, text)  # fmt: skip
    return re.sub(rf"(?<![\d-])(\d{{4}})-(\d{{2}})-(\d{{2}})(?!\d){YEAR_WORD}", iso, text)


def _worded_dates(text: str) -> str:
    months = "|".join(MONTHS)

    def replace(match: re.Match[str]) -> str:
        year = int(match.group(3)) if match.group(3) else None
        return _date(int(match.group(1)), MONTHS.index(match.group(2).lower()) + 1, year) or (
            match.group(0)
        )

    pattern = rf"(?<!\d)(\d{{1,2}})\s+({months})(?:\s+(\d{{4}}){YEAR_WORD})?"
    return re.sub(pattern, replace, text, flags=re.IGNORECASE)


def _times(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        case = _case_before(text, match.start())
        hours, minutes = int(match.group(1)), int(match.group(2))
        words = [counted(hours, HOURS, "m", case)]
        if minutes or match.group(3):
            words.append(counted(minutes, MINUTES, "f", case))
        if match.group(3):
            words.append(counted(int(match.group(3)), SECONDS, "f", case))
        return " ".join(words)

    return re.sub(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?![\d:])", replace, text)


def _group(run: str) -> str:
    """One group of a phone number: a number, or digits when it starts with zero."""
    return digits(run) if run.startswith("0") or len(run) > 3 else cardinal(int(run))


def _phone_groups(number: str) -> list[str]:
    """An unbroken run of phone digits split as it is spoken: 7 912 345 67 89."""
    if len(number) == 11 and number[0] in "78":
        return [number[0], number[1:4], number[4:7], number[7:9], number[9:]]
    if len(number) == 10:
        return [number[:3], number[3:6], number[6:8], number[8:]]
    return [number[at : at + 2] for at in range(0, len(number), 2)]


def _phones(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        plus = found.startswith("+")
        runs = re.findall(r"\d+", found)
        if len(runs) == 1:
            runs = _phone_groups(runs[0])
        spoken = ", ".join(_group(run) for run in runs)
        return f"плюс {spoken}" if plus else spoken

    separated = r"\+?\d{1,3}[\s-]?\(\d{2,5}\)[\s-]?\d{1,4}(?:[\s-]\d{1,4}){0,3}"
    dashed = r"\+?\d{1,4}(?:-\d{1,4}){2,5}"
    unbroken = r"\+\d{10,15}|(?<!\d)[78]\d{10}(?!\d)"
    return re.sub(rf"(?<![\w+])(?:{separated}|{dashed}|{unbroken})(?![\w-])", replace, text)


def _spoken_number(run: str, case: Case, gender: Gender) -> str:
    """A number as written (sign, thousands separated by spaces, decimal comma)."""
    negative = run[0] in "-−"
    body = re.sub(r"[\s  ]", "", run.lstrip("-−")).replace(",", ".")
    whole, _, fraction = body.partition(".")
    if fraction and len(whole) <= MAX_NUMBER_DIGITS and len(fraction) <= 6:
        words = str(num2words(f"{int(whole)}.{fraction}", lang="ru"))
    elif fraction:
        words = f"{cardinal(int(whole), case, gender)} точка {digits(fraction)}"
    else:
        words = cardinal(int(whole), case, gender)
    return f"минус {words}" if negative else words


NUMBER: Final = r"(?:(?<![\w.,-])[-−])?(?<![\d.,])\d{1,3}(?:[  ]\d{3})+(?![\d.,]\d)|" \
                r"(?:(?<![\w.,-])[-−])?\d+(?:[.,]\d+)?"  # fmt: skip


def _quantities(text: str) -> str:
    """Percentages and roubles: the noun agrees with the number."""

    def replace(forms: NounForms) -> Callable[[re.Match[str]], str]:
        def spoken(match: re.Match[str]) -> str:
            run = match.group(1)
            case = _case_before(text, match.start())
            if re.search(r"[.,]", run):  # a fraction takes the genitive singular
                return f"{_spoken_number(run, case, 'm')} {forms[1][0]}"
            value = int(re.sub(r"\D", "", run)) * (-1 if run[0] in "-−" else 1)
            if len(str(abs(value))) > MAX_NUMBER_DIGITS:
                return f"{_spoken_number(run, case, 'm')} {forms[0][2]}"
            return counted(value, forms, "m", case)

        return spoken

    text = re.sub(rf"({NUMBER})\s*%", replace(PERCENT), text)
    return re.sub(rf"({NUMBER})\s*(?:руб\.|р\.|₽|рублей|рубля|рубль)", replace(ROUBLES), text)


def _years(text: str) -> str:
    """``2026 г.`` -> "две тысячи двадцать шестой год", "от ... шестого года",
    "в ... шестом году" (``г.`` before a name means город)."""

    def replace(match: re.Match[str]) -> str:
        year = int(match.group(1))
        before = re.search(r"(\w+)\s*$", text[max(0, match.start() - 20) : match.start()])
        if before and before.group(1).lower() in ("в", "во"):
            return f"{ordinal(year, 'prepositional')} году"
        if _case_before(text, match.start()) == "genitive":
            return f"{ordinal(year, 'genitive')} года"
        return f"{ordinal(year)} год"

    return re.sub(r"(?<![\d.,])(\d{3,4})\s*г\.", replace, text)


def _abbreviations(text: str) -> str:
    text = re.sub(r"№\s*", "номер ", text)
    pattern = "|".join(re.escape(short) for short in sorted(ABBREVIATIONS, key=len, reverse=True))
    return re.sub(rf"(?<![\w.-])({pattern})(?=\s|$|\d)", lambda m: ABBREVIATIONS[m.group(1)] + " ",
                  text)  # fmt: skip


def _numbers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        case = _case_before(text, match.start())
        gender = _gender_after(text, match.end())
        if case == "nominative" and gender == "f" and _accusative_after(text, match.end()):
            case = "accusative"  # "ожидайте 1 минуту" -> "одну минуту"
        return _spoken_number(match.group(0), case, gender)

    return re.sub(NUMBER, replace, text)


def normalise(text: str) -> str:
    """``text`` with every number, date, time, phone number and abbreviation in
    Russian words; no ASCII digit is left."""
    for step in (_numeric_dates, _worded_dates, _times, _phones, _quantities, _years,
                 _abbreviations, _numbers):  # fmt: skip
        text = step(text)
    text = re.sub(r"[0-9]+", lambda m: " " + digits(m.group(0)) + " ", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
