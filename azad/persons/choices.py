"""Enumerations of the persons app: HTCDS ``prs_*`` value names where the standard has them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """HTCDS ``prs_Gender``."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    NON_SPECIFIED_UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class DocumentType(models.TextChoices):
    """The identity document a person holds or held.

    HTCDS has only ``prs_IdentityNumber`` (text); these kinds, named in the
    standard's style, are the ones Azerbaijani practice meets: the national
    identity card, passports, a child's birth certificate, a foreigner's
    residence permit, a stateless person's document, and the return
    certificate a consulate issues to a citizen stranded abroad.
    """

    NATIONAL_IDENTITY_CARD = "NationalIdentityCard", _("National identity card")
    PASSPORT = "Passport", _("Passport")
    BIRTH_CERTIFICATE = "BirthCertificate", _("Birth certificate")
    RESIDENCE_PERMIT = "ResidencePermit", _("Residence permit")
    STATELESS_PERSON_DOCUMENT = "StatelessPersonDocument", _("Stateless person's identity document")
    RETURN_CERTIFICATE = "ReturnCertificate", _("Certificate of return")
    OTHER = "Other", _("Other document")


# "XX" is a user-assigned ISO 3166 code; Azad uses it for stateless persons
# (the law names foreigners *and* stateless persons among victims).
STATELESS = "XX"

# ISO 3166-1 alpha-2 codes (from the tz database's iso3166.tab).
_ISO_3166_ALPHA_2 = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
)
COUNTRY_CODES: frozenset[str] = frozenset(_ISO_3166_ALPHA_2.split()) | {STATELESS}


class SamePersonBasis(models.TextChoices):
    """Why two person records were decided to be the same person."""

    SAME_DOCUMENT = "same_document", _("Same identity document")
    SAME_NAME_BIRTH_DATE = "same_name_birth_date", _("Same name and date of birth")
    SAME_NAME_BIRTH_YEAR = (
        "same_name_birth_year",
        _("Same name and year of birth, confirmed by the case files"),
    )
    OTHER_EVIDENCE = "other_evidence", _("Other evidence (described in the note)")
