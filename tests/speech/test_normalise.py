"""Russian text normalisation: the common notification phrases read naturally
(dates, times, phones, percentages, agreement), and no input makes it raise
or leave an ASCII digit behind."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.speech.normalise import normalise

PHONE = "девятьсот двенадцать, триста сорок пять, шестьдесят семь, восемьдесят девять"
CASES = [
    ("02.12.2026", "второго декабря две тысячи двадцать шестого года"),
    ("2026-12-02", "второго декабря две тысячи двадцать шестого года"),
    ("до 5 декабря 2026 г.", "до пятого декабря две тысячи двадцать шестого года"),
    ("01.01.26", "первого января две тысячи двадцать шестого года"),
    ("14:30", "четырнадцать часов тридцать минут"),
    ("в 21:01", "в двадцать один час одна минута"),
    ("с 9:00 до 18:00", "с девяти часов до восемнадцати часов"),
    ("10:05:07", "десять часов пять минут семь секунд"),
    ("+7 (912) 345-67-89", "плюс семь, " + PHONE),
    ("89123456789", "восемь, " + PHONE),
    ("112-01-05", "сто двенадцать, ноль один, ноль пять"),  # a leading zero: digit by digit
    ("Явка 95%", "Явка девяносто пять процентов"),
    ("рост на 1,5%", "рост на одна целая пять десятых процента"),
    ("более 50% сотрудников", "более пятидесяти процентов сотрудников"),
    ("22%", "двадцать два процента"),
    ("№ 15", "номер пятнадцать"),
    ("ул. Ленина, д. 5, кв. 12", "улица Ленина, дом пять, квартира двенадцать"),
    ("г. Москва", "город Москва"),
    ("в 2026 г.", "в две тысячи двадцать шестом году"),
    ("Осталось 2 минуты", "Осталось две минуты"),
    ("21 минута", "двадцать одна минута"),
    ("Ожидайте 1 минуту", "Ожидайте одну минуту"),
    ("1 сообщение", "одно сообщение"),
    ("Штраф 1 000 руб.", "Штраф одна тысяча рублей"),
    ("3 рубля", "три рубля"),
    ("-5 градусов", "минус пять градусов"),
    ("к 10 часам", "к десяти часам"),
    ("Учебная тревога", "Учебная тревога"),
]


@pytest.mark.parametrize(("text", "spoken"), CASES)
def test_common_phrases_read_naturally(text: str, spoken: str) -> None:
    assert normalise(text) == spoken


def test_an_impossible_date_is_read_as_numbers() -> None:
    assert normalise("31.02.2026") == "тридцать один, два, две тысячи двадцать шесть"
    assert normalise("2026-13-01") == "две тысячи двадцать шесть, тринадцать, один"


def test_a_long_digit_run_is_read_digit_by_digit() -> None:
    assert normalise("12345678901234567890").split()[:3] == ["один", "два", "три"]


def test_a_whole_notification() -> None:
    text = "Внимание! Учения 02.12.2026 в 14:30. Сбор у д. 5. Справки: +7 (495) 123-45-67."
    assert normalise(text) == (
        "Внимание! Учения второго декабря две тысячи двадцать шестого года в четырнадцать часов "
        "тридцать минут. Сбор у дом пять. Справки: плюс семь, четыреста девяносто пять, сто "
        "двадцать три, сорок пять, шестьдесят семь."
    )


NOTIFICATION_ALPHABET = st.sampled_from(list("0123456789 .,:-+()%№/гдулкв.рубАяё\n\t−₽"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(NOTIFICATION_ALPHABET)))
def test_never_raises_and_leaves_no_ascii_digit(text: str) -> None:
    assert not re.search(r"[0-9]", normalise(text))
