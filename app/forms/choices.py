"""Choice lists of the forms: ``(value, Dutch label)`` pairs.

The values are what the diagrams, DMN tables and metrics compare against; the labels are UI text.
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]

#: F1: why the corporation reports (CV-12, CV-13).
REDEN_MELDING: Choices = (
    ("vermoeden_doelgroep", "Vermoeden dat het huishouden tot de doelgroep hoort"),
    ("afspraken_niet_nagekomen", "Afspraken niet nagekomen"),
    ("onbereikbaar", "Huurder is onbereikbaar"),
    ("ontruimingsvonnis", "Ontruimingsvonnis uitgesproken"),
)

#: F1: how far the corporation's collection has gone.
INCASSOFASE: Choices = (
    ("herinnering", "Herinnering"),
    ("aanmaning", "Aanmaning"),
    ("veertiendagenbrief", "14-dagenbrief"),
    ("deurwaarder", "Deurwaarder ingeschakeld"),
    ("dagvaarding", "Dagvaarding"),
    ("vonnis", "Vonnis"),
)

#: F1, F3, contact_corporatie: channel of a contact attempt.
CONTACT_KANAAL: Choices = (
    ("mail", "E-mail"),
    ("brief", "Brief"),
    ("sms_whatsapp", "Sms of WhatsApp"),
    ("telefoon", "Telefoon"),
    ("huisbezoek", "Huisbezoek"),
)

#: escalatie: what the Meldpunt's team lead does about a missed contact deadline (CV-10).
ESCALATIE_ACTIE: Choices = (
    ("zelf_oppakken", "Zelf oppakken"),
    ("herverdelen", "Zaak herverdelen naar een andere medewerker"),
    ("extra_capaciteit", "Extra capaciteit inzetten"),
)

#: F5: municipal services the plan starts (each one a subprocess).
DIENSTEN: Choices = (
    ("schuldhulp", "Schulddienstverlening"),
    ("huur_uit_uitkering", "Huur betalen uit de uitkering"),
    ("indicatie", "Indicatieaanvraag met voorrang"),
    ("woonoverlast", "Aanpak woonoverlast"),
)

#: F6: sources of net income that count for the afloscapaciteit.
INKOMSTEN_BRON: Choices = (
    ("loon", "Loon uit arbeid"),
    ("bijstand", "Bijstandsuitkering (gemeente)"),
    ("uwv_uitkering", "Uitkering van het UWV (WW, WIA, Wajong, ZW)"),
    ("pensioen_aow", "AOW of pensioen"),
    ("alimentatie", "Ontvangen alimentatie"),
    ("overig", "Overig inkomen"),
)

#: F6: household situation (chooses the social-assistance norm for the VTLB).
LEEFSITUATIE: Choices = (
    ("alleenstaand", "Alleenstaand"),
    ("alleenstaande_ouder", "Alleenstaande ouder"),
    ("samenwonend", "Samenwonend of gehuwd"),
    ("samenwonend_met_kinderen", "Samenwonend of gehuwd met kinderen"),
)

#: F8 and monitoring: the status the corporation may see (COVENANT.md §7).
STATUS_CODE: Choices = (
    ("ontvangen", "Melding ontvangen"),
    ("in_behandeling", "In behandeling"),
    ("contact_gelegd", "Contact met de huurder gelegd"),
    ("geen_contact", "Geen contact met de huurder"),
    ("traject_gestart", "Hulptraject gestart"),
    ("overgedragen", "Overgedragen aan de regiehouder"),
    ("afgesloten", "Afgesloten"),
    ("beeindigd", "Bescherming beëindigd"),
)

#: F10: outcome of the case (COVENANT.md §3E); the ``uitgesloten:*`` values match DMN-1.
UITKOMST: Choices = (
    ("voorkomen", "Huisuitzetting voorkomen, traject overgedragen"),
    ("opgelost", "Opgelost zonder melding"),
    ("uitgesloten:opiumwet", "Uitgesloten: overtreding Opiumwet"),
    ("uitgesloten:bewoning", "Uitgesloten: onrechtmatige of illegale bewoning"),
    ("uitgesloten:verblijfsstatus", "Uitgesloten: geen verblijfsstatus"),
    ("uitgesloten:overlast", "Uitgesloten: extreme overlast"),
    ("uitgesloten:inkomen", "Uitgesloten: geen legaal inkomen"),
    ("geen_doelgroep", "Geen doelgroep"),
    ("geen_medewerking", "Geen medewerking"),
    ("geen_contact", "Geen contact"),
    ("vertrokken", "Huurder vertrokken"),
    ("ontruimd", "Ontruimd"),
)

#: gesprek_afspraken: the Meldpunt's decision after a broken agreement or a judgment.
GESPREK_BESLUIT: Choices = (
    ("doorgaan", "Traject gaat door"),
    ("beeindigen", "Bescherming beëindigen"),
)

#: indicatie: kind of indication request handled with priority (CV-21).
INDICATIE_SOORT: Choices = (
    ("wmo_begeleiding", "Wmo: begeleiding"),
    ("wmo_huishoudelijke_hulp", "Wmo: huishoudelijke hulp"),
    ("beschermd_wonen", "Beschermd wonen"),
    ("jeugdhulp", "Jeugdhulp"),
    ("overig", "Overige indicatie"),
)

#: indicatie: the decision on the request.
INDICATIE_BESLUIT: Choices = (
    ("toegekend", "Toegekend"),
    ("gedeeltelijk_toegekend", "Gedeeltelijk toegekend"),
    ("afgewezen", "Afgewezen"),
    ("ingetrokken", "Aanvraag ingetrokken"),
)

#: woonoverlast_stap: steps of the Wet aanpak woonoverlast (CV-22), in escalation order.
WOONOVERLAST_STAP: Choices = (
    ("waarschuwing", "Waarschuwing"),
    ("voornemen", "Voornemen tot gedragsaanwijzing"),
    ("gedragsaanwijzing", "Gedragsaanwijzing"),
    ("handhaving", "Handhaving (last onder dwangsom of bestuursdwang)"),
)

#: beoordeling_overlast: how serious OOV finds the nuisance.
OVERLAST_ERNST: Choices = (
    ("geen", "Geen overlast vastgesteld"),
    ("beperkt", "Beperkte overlast"),
    ("ernstig", "Ernstige overlast"),
    ("extreem", "Extreme overlast"),
)
