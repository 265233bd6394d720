"""Demo data for the hotline: about 150 calls over the past 90 days, alerts, call-backs, articles.

Made through the hotline services with the demo accounts ``operator`` (calls)
and ``operator_reis`` (the knowledge base). Deterministic (a fixed seed), and
built once: if the demo operator already has calls, nothing is added. One
victim's call from two hours ago is handed over (a case opened and referred to
ATD) and a follow-up call is linked to the same case.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from azad.accounts.models import User
from azad.hotline import services
from azad.hotline.choices import REGION_CHOICES, Action, CallerType, Language, Reason, Urgency
from azad.hotline.models import Call, KnowledgeArticle

DEMO_CALLS = 150
SEED = 152
# (weight, reason) pairs: what the line is mostly used for.
REASONS = [
    (30, Reason.INFORMATION_REQUEST),
    (25, Reason.SAFE_MIGRATION_ADVICE),
    (15, Reason.REPORT_SUSPECTED_TRAFFICKING),
    (8, Reason.VICTIM_SEEKING_HELP),
    (7, Reason.COMPLAINT),
    (15, Reason.SILENT_OR_HOAX),
]
SUMMARIES = {
    Reason.INFORMATION_REQUEST: "Zəng edən xaricdə işləmək üçün lazım olan sənədlər barədə soruşdu.",
    Reason.SAFE_MIGRATION_ADVICE: "Türkiyədə iş təklifi; işəgötürənin lisenziyasını yoxlamaq tövsiyə olundu.",
    Reason.REPORT_SUSPECTED_TRAFFICKING: "Qonşunun qızı Dubayda işləyir, pasportu əlindən alınıb, əlaqə kəsilib.",
    Reason.VICTIM_SEEKING_HELP: "Zəng edən tikintidə maaşsız saxlanılır, çıxmağa icazə verilmir.",
    Reason.COMPLAINT: "Agentlik pulu alıb, vizanı vermir.",
    Reason.SILENT_OR_HOAX: "",
}

ARTICLES = [
    ("greeting", "script", "call_handling",
     ("Zəngi qəbul etmək", "Answering a call", "Приём звонка"),
     ("152 qaynar xətti, Biganə qalma. Adınızı deməyə məcbur deyilsiniz. Necə kömək edə bilərəm?",
      "Hotline 152, Don't stay indifferent. You don't have to give your name. How can I help?",
      "Горячая линия 152. Вы можете не называть своё имя. Чем я могу помочь?")),
    ("danger", "script", "reaching_atd",
     ("Təhlükə altında olan zəng edən", "Caller in immediate danger", "Звонящий в опасности"),
     ("Harada olduğunuzu deyə bilərsinizmi? Təhlükəsiz danışa bilirsinizmi? ATD-yə dərhal xəbər veririk.",
      "Can you tell me where you are? Can you speak safely? We are alerting ATD now.",
      "Можете сказать, где вы находитесь? Можете говорить безопасно? Мы сообщаем в ГБТЛ.")),
    ("callback", "script", "call_handling",
     ("Geri zəng razılaşması", "Agreeing a call-back", "Договорённость о перезвоне"),
     ("Sizə nə vaxt təhlükəsiz zəng edə bilərik? Kod söz seçək.",
      "When is it safe to call you back? Let's choose a code word.",
      "Когда вам безопасно перезвонить? Давайте выберем кодовое слово.")),
    ("job-offer", "answer", "safe_migration",
     ("Xaricdə iş təklifini yoxlamaq", "Checking a job offer abroad", "Проверка предложения о работе за рубежом"),
     ("Agentliyin lisenziyasını, müqavilənin Azərbaycan dilində olmasını yoxlayın; pasportu heç kimə verməyin.",
      "Check the agency's licence and get a contract in a language you read; never hand over your passport.",
      "Проверьте лицензию агентства и договор на понятном языке; никому не отдавайте паспорт.")),
    ("rights", "answer", "migrant_rights",
     ("Miqrant işçinin hüquqları", "Rights of migrant workers", "Права трудовых мигрантов"),
     ("Sənədlərinizi saxlamaq, əmək haqqı almaq və istədiyiniz vaxt işdən çıxmaq hüququnuz var.",
      "You have the right to keep your documents, be paid, and leave the job.",
      "Вы имеете право хранить свои документы, получать зарплату и уволиться.")),
    ("shelter", "answer", "shelters",
     ("Sığınacaq", "Shelters", "Приюты"),
     ("Dövlət sığınacağı pulsuzdur və ünvanı gizlidir; yönləndirmə ATD və ya yardım mərkəzi ilə olur.",
      "The state shelter is free and its address confidential; referral is through ATD or the assistance centre.",
      "Государственный приют бесплатный, адрес конфиденциален; направление через ГБТЛ или центр помощи.")),
    ("reach-atd", "answer", "reaching_atd",
     ("ATD ilə əlaqə", "Reaching ATD", "Связь с ГБТЛ"),
     ("Təcili hallarda 102; İnsan alverinə qarşı mübarizə idarəsi gecə-gündüz işləyir.",
      "In an emergency dial 102; the anti-trafficking department works around the clock.",
      "В экстренных случаях звоните 102; управление по борьбе с торговлей людьми работает круглосуточно.")),
    ("abroad", "answer", "safe_migration",
     ("Xaricdə çətinliyə düşəndə", "In trouble abroad", "Если вы в беде за границей"),
     ("Ən yaxın Azərbaycan səfirliyi və ya konsulluğu ilə əlaqə saxlayın; 152-yə xaricdən də zəng etmək olar.",
      "Contact the nearest Azerbaijani embassy or consulate; you can also reach 152 from abroad.",
      "Обратитесь в ближайшее посольство или консульство Азербайджана.")),
]  # fmt: skip


def build_demo_articles(supervisor: User) -> int:
    """The knowledge base in three languages (articles already there are kept)."""
    created = 0
    for slug, kind, topic, titles, bodies in ARTICLES:
        if KnowledgeArticle.objects.filter(slug=slug).exists():
            continue
        services.save_article(
            actor=supervisor,
            slug=slug,
            kind=kind,
            topic=topic,
            title_az=titles[0],
            title_en=titles[1],
            title_ru=titles[2],
            body_az=bodies[0],
            body_en=bodies[1],
            body_ru=bodies[2],
        )
        created += 1
    return created


def build_demo_calls(operator: User, *, count: int = DEMO_CALLS) -> int:
    """About ``count`` calls over the past 90 days (busier in the working day), a few alerts and call-backs."""
    if Call.objects.filter(operator=operator).exists():
        return 0
    rng = random.Random(SEED)
    now = timezone.now()
    regions = [code for code, _label in REGION_CHOICES]
    weights, reasons = zip(*REASONS, strict=True)
    created = 0
    for _ in range(count):
        day = rng.randint(0, 89)
        hour = rng.choices(range(24), weights=[1] * 8 + [6] * 10 + [3] * 6)[0]
        started = (now - dt.timedelta(days=day)).replace(hour=hour, minute=rng.randint(0, 59), second=0)
        if started > now - dt.timedelta(minutes=30):
            started -= dt.timedelta(days=1)
        reason = rng.choices(reasons, weights=weights)[0]
        silent = reason == Reason.SILENT_OR_HOAX
        urgency = Urgency.ROUTINE
        if reason in (Reason.REPORT_SUSPECTED_TRAFFICKING, Reason.VICTIM_SEEKING_HELP):
            urgency = rng.choices([Urgency.IMMEDIATE_DANGER, Urgency.URGENT, Urgency.ROUTINE], [1, 4, 5])[0]
        actions: list[str] = [] if silent else [Action.INFORMATION_GIVEN]
        if urgency == Urgency.IMMEDIATE_DANGER or (urgency == Urgency.URGENT and rng.random() < 0.5):
            actions.append(Action.REFERRED_TO_ATD)
        elif not silent and rng.random() < 0.15:
            actions.append(Action.REFERRED_TO_SERVICE)
        callback = None
        if not silent and rng.random() < 0.08:
            callback = now + dt.timedelta(hours=rng.randint(-30, 72))
            callback = max(callback, started + dt.timedelta(hours=1))
        abroad = rng.random() < 0.2
        services.record_call(
            actor=operator,
            idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            started_at=started,
            ended_at=started + dt.timedelta(seconds=rng.randint(20, 900)),
            caller_type=CallerType.ANONYMOUS if silent else rng.choice(CallerType.values),
            language=rng.choices(Language.values, weights=[70, 22, 5, 3])[0],
            reason=reason,
            region="" if abroad else rng.choice(regions),
            country=rng.choice(["TR", "AE", "RU", "QA"]) if abroad else "",
            urgency=urgency,
            summary=SUMMARIES[reason],
            actions=actions,
            callback_due_at=callback,
            callback_code_word=rng.choice(["nar", "alma", "heyva"]) if callback else "",
        )
        created += 1
    return created


HANDED_OVER_SUMMARY = (
    "Zəng edən Rusiyada tikintidə maaşsız saxlanılıb, indi Bakıdadır; ATD-yə yönləndirilməyə razıdır."
)
FOLLOW_UP_SUMMARY = "Eyni zəng edən yenidən zəng etdi: ATD ilə görüş vaxtını soruşdu."


def build_demo_hand_over(operator: User) -> int:
    """A victim's call handed over to ATD and a follow-up linked to its case; returns the cases opened.

    Nothing is added if the demo operator already handed a call over.
    """
    if Call.objects.filter(operator=operator, opened_case__isnull=False).exists():
        return 0
    now = timezone.now()
    calls = []
    for n, (ago, summary) in enumerate(((120, HANDED_OVER_SUMMARY), (30, FOLLOW_UP_SUMMARY)), start=1):
        started = now - dt.timedelta(minutes=ago)
        call, _created = services.record_call(
            actor=operator,
            idempotency_key=uuid.UUID(int=SEED * 1000 + n, version=4),
            started_at=started,
            ended_at=started + dt.timedelta(minutes=9),
            caller_type=CallerType.VICTIM,
            language=Language.AZ,
            reason=Reason.VICTIM_SEEKING_HELP,
            region="Bakı",
            urgency=Urgency.URGENT,
            summary=summary,
            actions=[Action.INFORMATION_GIVEN],
            caller_consented=True,
            caller_name="Elnur Hüseynov",
        )
        calls.append(call)
    case, created = services.hand_over_to_atd(
        calls[0], actor=operator, consent=True, birth_year=now.year - 31
    )
    services.link_call_to_case(calls[1], actor=operator, case_id=case.pk)
    return 1 if created else 0
