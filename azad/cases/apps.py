from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """The national referral mechanism: cases, legal clocks, consent, referrals and child protection."""

    name = "azad.cases"
    label = "cases"
    verbose_name = _("Referral mechanism")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from azad.audit.choices import register_actions
        from azad.cases.signals import ensure_shipped_allowance_rate

        post_migrate.connect(ensure_shipped_allowance_rate, sender=self)
        from azad.cases import home, sections  # noqa: F401  (register the clocks panel and person section)
        from azad.cases.access import may_open_shelter_profiles, may_set_allowance_rate, shared_persons
        from azad.core.navigation import MENU, MenuEntry
        from azad.core.permissions import Data, Level
        from azad.persons.access import register_sharing_rule

        register_sharing_rule(shared_persons)

        MENU.append(MenuEntry(_("Cases"), "cases:case_list", Data.CASE_CONTENT, Level.READ))
        MENU.append(
            MenuEntry(_("Incoming referrals"), "cases:incoming_referrals", Data.REFERRALS, Level.READ)
        )
        MENU.append(MenuEntry(_("Shelters"), "cases:shelter_list", Data.SHELTER_PLACEMENTS, Level.READ))
        MENU.append(
            MenuEntry(
                _("Shelter profiles"),
                "cases:shelter_profiles",
                Data.ORGANISATIONS,
                Level.READ,
                allowed=may_open_shelter_profiles,
            )
        )
        MENU.append(
            MenuEntry(
                _("Allowance rates"),
                "cases:allowance_rates",
                Data.ORGANISATIONS,
                Level.READ,
                allowed=may_set_allowance_rate,
            )
        )
        register_actions(
            {
                "cases.case.create": _("Case opened"),
                "cases.case.first_contact": _("First contact recorded"),
                "cases.case.context": _("Victim context changed"),
                "cases.case.transition": _("Case stage changed"),
                "cases.case.child_details": _("Child procedure details changed"),
                "cases.case.residence_permit": _("Residence permit recorded"),
                "cases.case.allowance": _("Reintegration allowance recorded as paid"),
                "cases.consent.record": _("Consent recorded"),
                "cases.referral.create": _("Referral sent"),
                "cases.referral.accept": _("Referral accepted"),
                "cases.referral.decline": _("Referral declined"),
                "cases.referral.complete": _("Referral completed"),
                "cases.referral.revoke": _("Referral revoked"),
                "cases.child_notification.create": _("Child-protection body notified"),
                "cases.shelter.save": _("Shelter profile saved"),
                "cases.placement.create": _("Placed in a shelter"),
                "cases.placement.end": _("Shelter placement ended"),
                "cases.plan.open": _("Assistance plan opened"),
                "cases.plan.item": _("Assistance plan item added"),
                "cases.service.record": _("Service delivered recorded"),
                "cases.service.outcome": _("Service outcome changed"),
                "cases.risk.record": _("Risk assessment recorded"),
                "cases.allowance_rate.set": _("Allowance rate set"),
                "cases.payment.record": _("Payment recorded"),
                "cases.case.seal": _("Case sealed"),
                "cases.case.unseal": _("Case sealing lifted"),
                "cases.sealed_access_denied": _("Access to a sealed case refused"),
                "cases.history.record": _("Trafficking event recorded"),
                "cases.comment.add": _("Comment added on a case"),
                "cases.return.record": _("Return home planned"),
                "cases.return.update": _("Return details changed"),
                "cases.return.status": _("Return status changed"),
            }
        )
