"""Name and place lists for synthetic data: Azerbaijani names, regions, typical foreign countries.

All people made from these lists are invented. Surnames are kept in their
male form (``-ov``/``-yev``) and made female by adding ``-a``; surnames in
``-li``/``-lı``/``-zadə`` are the same for both. Patronymics are the father's
first name with ``oğlu`` (son) or ``qızı`` (daughter).
"""

from __future__ import annotations

from azad.core import places

AZ_FEMALE_FIRST_NAMES = (
    "Aynur", "Günay", "Nərmin", "Aysel", "Lalə", "Səbinə", "Leyla", "Nigar", "Gülnar", "Sevinc",
    "Aytən", "Ülviyyə", "Könül", "Zəhra", "Fidan", "Aygün", "Nərgiz", "Şəbnəm", "Vüsalə", "Xədicə",
    "Gülşən", "Samirə", "Təranə", "Sevda", "Jalə", "Ləman", "Aidə", "Röya", "Mehriban", "Elnarə",
    "Günel", "Arzu", "Kəmalə", "Nurlana", "Şəhla", "İlahə", "Türkan", "Yeganə", "Zərifə", "Məleykə",
    "Dilarə", "Ayan", "Nuranə", "Mələk", "Səidə", "Pərvin", "Aygül", "Rəna", "Esmira", "Hicran",
    "Sona", "Fatimə", "Zeynəb", "Lamiyə", "Tamilla", "Afaq", "Solmaz", "Sevil", "Ulduz", "Nazlı",
    "Xatirə", "Validə", "Gülnarə", "Aynurə", "Fəridə", "Məryəm", "Nurana", "Rüxsarə", "Sürəyya", "Zülfiyyə",
)  # fmt: skip

AZ_MALE_FIRST_NAMES = (
    "Elvin", "Rəşad", "Orxan", "Tural", "Kamran", "Elçin", "Vüqar", "Rauf", "Nicat", "Ramil",
    "Anar", "Emin", "Fərid", "Səbuhi", "Cavid", "Elnur", "Murad", "Əli", "Hüseyn", "Rövşən",
    "Zaur", "Samir", "Namiq", "İlkin", "Toğrul", "Elşən", "Məhəmməd", "Ülvi", "Kənan", "Vüsal",
    "Asif", "Natiq", "Şahin", "Mübariz", "Eldar", "Rüstəm", "Yusif", "Ayxan", "Ruslan", "Tofiq",
    "Fuad", "Akif", "Vaqif", "Xəyal", "Əkbər", "Babək", "Cəlal", "Həsən", "İsmayıl", "Qasım",
    "Nurlan", "Polad", "Sənan", "Telman", "Zəfər", "Ceyhun", "Elxan", "Mirzə", "Arif", "Bəhruz",
)  # fmt: skip

AZ_SURNAMES = (
    "Əliyev", "Məmmədov", "Həsənov", "Hüseynov", "Quliyev", "İsmayılov", "Abbasov", "Əhmədov",
    "Rzayev", "Cəfərov", "Babayev", "Kərimov", "Süleymanov", "Mustafayev", "Nəsirov", "Orucov",
    "Qasımov", "Vəliyev", "Bayramov", "Rəhimov", "Hacıyev", "Musayev", "Sadıqov", "Salmanov",
    "Zeynalov", "Əsgərov", "İbrahimov", "Nağıyev", "Şükürov", "Məhərrəmov", "Axundov", "Qədirov",
    "Novruzov", "Paşayev", "Əzizov", "Fərzəliyev", "Heydərov", "Xəlilov", "Cəbrayılov", "Tağıyev",
    "Qurbanov", "Sultanov", "Allahverdiyev", "Əsədov", "Mirzəyev", "Yusifov", "Bağırov", "Səfərov",
    "Eyvazov", "Nəbiyev", "Məlikov", "Həmidov", "Şirinov", "Talıbov", "Qəhrəmanov", "Məcidov",
    "Rüstəmov", "Dadaşov", "Abdullayev", "Əkbərov",
)  # fmt: skip

# The same for women and men.
AZ_NEUTRAL_SURNAMES = (
    "Abbaslı", "Qasımlı", "Məmmədli", "Əlizadə", "Hüseynzadə", "Rəsulzadə", "Vəlizadə", "Bəylərli",
    "Şahbazlı", "Sultanlı", "Hacızadə", "Kərimli",
)  # fmt: skip

PATRONYMIC_SON = "oğlu"
PATRONYMIC_DAUGHTER = "qızı"

# Foreign citizens: (female first names, male first names, surnames, surnames take -a for women).
FOREIGN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]] = {
    "UZ": (
        ("Dilnoza", "Gulnora", "Malika", "Nodira", "Feruza", "Shahnoza", "Zarina", "Madina", "Nilufar"),
        ("Jasur", "Bekzod", "Sardor", "Rustam", "Akmal", "Otabek", "Sherzod", "Ulugbek"),
        ("Karimov", "Yusupov", "Rakhimov", "Abdullaev", "Ismoilov", "Nazarov", "Saidov", "Tursunov"),
        True,
    ),
    "TM": (
        ("Aynabat", "Gulshat", "Jennet", "Maral", "Ogulnabat", "Bahar", "Enejan", "Selbi"),
        ("Merdan", "Serdar", "Dovlet", "Batyr", "Kerim", "Myrat", "Atamyrat"),
        ("Annayev", "Berdiyev", "Orazov", "Gurbanov", "Hojayev", "Atayev", "Charyyev", "Muradov"),
        True,
    ),
    "RU": (
        ("Olga", "Tatyana", "Natalya", "Yelena", "Svetlana", "Irina", "Anastasiya", "Mariya"),
        ("Sergey", "Aleksey", "Dmitriy", "Andrey", "Ivan", "Nikolay"),
        ("Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Volkov", "Morozov"),
        True,
    ),
    "GE": (
        ("Nino", "Tamar", "Mariam", "Ketevan", "Salome", "Ana", "Eka"),
        ("Giorgi", "Levan", "Davit", "Irakli", "Nika"),
        ("Beridze", "Kapanadze", "Gelashvili", "Lomidze", "Tsiklauri", "Maisuradze"),
        False,
    ),
    "UA": (
        ("Olena", "Oksana", "Iryna", "Yuliya", "Kateryna"),
        ("Andriy", "Oleksandr", "Taras", "Bohdan"),
        ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko"),
        False,
    ),
    "TR": (
        ("Ayşe", "Fatma", "Elif", "Zeynep", "Merve", "Esra"),
        ("Mehmet", "Mustafa", "Ahmet", "Emre", "Burak"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"),
        False,
    ),
    "IR": (
        ("Maryam", "Zahra", "Fatemeh", "Narges", "Leila"),
        ("Reza", "Ali", "Hossein", "Mehdi", "Amir"),
        ("Ahmadi", "Hosseini", "Mohammadi", "Rezaei", "Karimi"),
        False,
    ),
}

# Main languages (ISO 639) by citizenship; Russian is a common second language in the region.
LANGUAGES_BY_CITIZENSHIP: dict[str, tuple[str, ...]] = {
    "AZ": ("az",),
    "UZ": ("uz", "ru"),
    "TM": ("tk", "ru"),
    "RU": ("ru",),
    "GE": ("ka", "ru"),
    "UA": ("uk", "ru"),
    "TR": ("tr",),
    "IR": ("fa",),
}

# Regions and cities of Azerbaijan live in core (the hotline and cases use them too).
AZ_REGIONS = places.AZ_REGIONS

# Countries met in Azerbaijani trafficking data, by ISO 3166 code, in Azerbaijani.
COUNTRY_NAMES_AZ = {
    "AZ": "Azərbaycan",
    "TR": "Türkiyə",
    "AE": "Birləşmiş Ərəb Əmirlikləri (BƏƏ)",
    "RU": "Rusiya",
    "IR": "İran",
    "GE": "Gürcüstan",
    "UZ": "Özbəkistan",
    "TM": "Türkmənistan",
    "UA": "Ukrayna",
    "QA": "Qətər",
    "MY": "Malayziya",
    "KZ": "Qazaxıstan",
}

# Mobile operator prefixes of Azerbaijan (+994 XX ...).
AZ_MOBILE_PREFIXES = ("50", "51", "55", "70", "77", "99", "10")

_ASCII = str.maketrans(
    {"ə": "e", "ı": "i", "ö": "o", "ü": "u", "ç": "c", "ş": "s", "ğ": "g", "İ": "I", "Ə": "E",
     "Ö": "O", "Ü": "U", "Ç": "C", "Ş": "S", "Ğ": "G"}
)  # fmt: skip


def ascii_name(text: str) -> str:
    """``text`` with Azerbaijani and Turkish letters replaced by plain Latin ones (for e-mail addresses)."""
    return text.translate(_ASCII)


def female_surname(surname: str) -> str:
    """The female form of an Azerbaijani-style surname (``Əliyev`` → ``Əliyeva``)."""
    return surname + "a" if surname.endswith(("ov", "ev", "yev")) else surname
