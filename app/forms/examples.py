"""A valid, fictitious submission for every form key, as a browser would post it.

For tests, scenario data and the demo: ``get_form(key)().load(EXAMPLES[key])`` succeeds. All
names, addresses and numbers are made up.
"""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, dict[str, Any]] = {
    "melding": {
        "corporatie_naam": "QuaWonen",
        "corporatie_medewerker": "Fatima el Amrani",
        "corporatie_dossiernummer": "HC-2025-0412",
        "huurder_naam": "Jan de Vries",
        "medehuurder_naam": "Sanne de Vries-Bakker",
        "geboortedatum": "1984-06-15",
        "postcode": "2931 ab",
        "huisnummer": "12",
        "huisnummer_toevoeging": "A",
        "telefoon": "06-12345678",
        "email": "jan.devries@example.nl",
        "huishoudgrootte": "4",
        "kinderen_onder_18": "2",
        "huurprijs": "745,50",
        "achterstand_bedrag": "1.491,00",
        "achterstand_maanden": "2",
        "ontstaansdatum": "2025-01-01",
        "signaaldatum": "2025-03-03",
        "reden_melding": "vermoeden_doelgroep",
        "incassofase": "aanmaning",
        "vonnis": "",
        "vonnisdatum": "",
        "ontruimingsdatum": "",
        "contactpogingen": [
            {"soort": "brief", "datum": "2025-02-03", "bereikt": "nee"},
            {"soort": "huisbezoek", "datum": "2025-02-20", "bereikt": "ja"},
        ],
        "bekende_hulpverleners": "Wijkteam Krimpenerwaard (maatschappelijk werk)",
        "overlast": "nee",
        "huurder_geinformeerd_datum": "2025-03-01",
        "gemeentelijke_uitkering": "ja",
    },
    "triage": {
        "opiumwet": "nee",
        "onrechtmatige_bewoning": "nee",
        "geen_verblijfsstatus": "nee",
        "extreme_overlast": "nee",
        "geen_legaal_inkomen": "nee",
        "kan_zelf_oplossen": "nee",
        "toegewezen_medewerker": "Pieter Smit",
        "triage_toelichting": "Melding compleet; kinderen in huis.",
    },
    "contactpoging": {
        "contact_kanaal": "telefoon",
        "contact_datum": "2025-03-05",
        "contact_bereikt": "on",
        "contact_notities": "Afspraak voor huisbezoek op 10 maart.",
    },
    "kwetsbaarheid": {
        "financiele_problemen": "on",
        "psychische_problemen": "nee",
        "sociale_problemen": "on",
        "bereid_tot_medewerking": "on",
        "conclusie_kwetsbaar": "on",
        "onderbouwing": "Inkomen gedaald na ontslag; klein netwerk; wil meewerken.",
    },
    "plan": {
        "doelen": "Huurachterstand aflossen en inkomen stabiliseren.",
        "afspraken": "Huurder betaalt de lopende huur en komt naar de intake.",
        "diensten": ["schuldhulp", "huur_uit_uitkering"],
        "beoogde_regiehouder": "Wijkteam Krimpenerwaard",
        "evaluatiedatum": "2025-06-01",
    },
    "inventarisatie": {
        "inkomsten": [{"bron": "bijstand", "bedrag_netto_per_maand": "1.450,00"}],
        "vakantiegeld_per_maand": "72,50",
        "toeslagen": "560",
        "vaste_lasten": [
            {"omschrijving": "Energie", "bedrag": "180"},
            {"omschrijving": "Zorgverzekering", "bedrag": "140,25"},
        ],
        "schulden": [
            {"schuldeiser": "QuaWonen", "bedrag": "1491"},
            {"schuldeiser": "Energieleverancier", "bedrag": "320,10"},
        ],
        "leefsituatie": "samenwonend_met_kinderen",
        "woonkosten": "745,50",
        "extra_kosten_kinderopvang": "0",
        "extra_kosten_reiskosten": "45",
        "voorstel_inkomensbeheer": "on",
    },
    "huur_uit_uitkering": {
        "uitkering_kenmerk": "PW-2025-1234",
        "uitkering_bedrag": "745,50",
        "huur_uit_uitkering_start": "2025-04-01",
        "huur_uit_uitkering_eind": "2025-07-01",
    },
    "status": {"status_code": "traject_gestart"},
    "overdracht": {
        "ontvangende_organisatie": "Wijkteam Krimpenerwaard",
        "overdrachtsdatum": "2025-07-15",
        "overdracht_samenvatting": "Inkomensbeheer loopt; huurder betaalt de lopende huur.",
    },
    "afsluiting": {
        "uitkomst": "voorkomen",
        "afsluitdatum": "2025-07-15",
        "afsluiting_notities": "Overgedragen aan het wijkteam.",
        "voorwaarden_nagekomen": "on",
    },
    "gesprek_afspraken": {
        "gesprek_datum": "2025-05-12",
        "gesprek_besluit": "doorgaan",
        "gesprek_toelichting": "Huur van mei alsnog betaald; nieuwe afspraak gemaakt.",
    },
    "opschorting": {"datum_opschorting": "2025-03-03", "opschorting_bevestigd": "on"},
    "monitoring": {
        "monitoring_datum": "2025-04-28",
        "voortgang": "Intake schuldhulp gedaan; lopende huur betaald.",
        "status_code": "traject_gestart",
        "overdracht_gereed": "nee",
    },
    "intake_schuldhulp": {"intake_datum": "2025-03-20", "financiele_problemen": "on"},
    "indicatie": {
        "indicatie_soort": "wmo_begeleiding",
        "indicatie_besluit": "toegekend",
        "indicatie_besluitdatum": "2025-04-02",
    },
    "woonoverlast_stap": {
        "woonoverlast_stap": "waarschuwing",
        "woonoverlast_datum": "2025-04-10",
        "woonoverlast_toelichting": "Schriftelijke waarschuwing na klachten over geluid.",
        "overlast_opgelost": "nee",
    },
    "beoordeling_overlast": {
        "overlast_beoordeling_datum": "2025-04-01",
        "overlast_ernst": "beperkt",
        "woonoverlast_aanpak_nodig": "on",
        "overlast_beoordeling_toelichting": "Drie klachten over geluid in twee maanden.",
    },
    "evaluatie_review": {
        "vergaderdatum": "2026-02-01",
        "knelpunten": "Eerste contact duurt bij P1-meldingen te lang.",
        "besluiten": "Meldpunt zet een piketdienst in voor P1-meldingen.",
    },
    "contact_corporatie": {
        "contactpoging_soort": "telefoon",
        "contactpoging_datum": "2025-01-20",
        "contactpoging_bereikt": "on",
        "contactpoging_notities": "Huurder belooft te betalen.",
        "betalingsregeling_getroffen": "on",
        "achterstand_opgelost": "nee",
    },
    "signalering": {
        "corporatie_dossiernummer": "HC-2025-0412",
        "huurder_naam": "Jan de Vries",
        "postcode": "2931 AB",
        "huisnummer": "12",
        "huisnummer_toevoeging": "A",
        "huishoudgrootte": "4",
        "kinderen_onder_18": "2",
        "huurprijs": "745,50",
        "achterstand_bedrag": "745,50",
        "achterstand_maanden": "1",
        "ontstaansdatum": "2025-01-01",
        "signaaldatum": "2025-01-10",
        "gemeentelijke_uitkering": "ja",
    },
    "escalatie": {
        "escalatie_actie": "herverdelen",
        "escalatie_toelichting": "Pieter Smit is ziek; zaak naar Anouk Jansen.",
    },
    "laatste_kans": {
        "laatste_kans_getekend": "on",
        "laatste_kans_start": "2025-04-01",
        "laatste_kans_eind": "2026-03-31",
        "laatste_kans_voorwaarden": "Huurder betaalt de lopende huur op tijd, lost € 125 per "
        "maand af op de achterstand en werkt mee aan het traject van het Meldpunt.",
    },
    "senioradvies": {
        "senioradvies_gezien": "on",
        "senioradvies_huisbezoek_gepland": "2025-01-16",
        "senioradvies_ondersteuning_nodig": "ja",
        "senioradvies_toelichting": "Huurder (78) overziet de post niet meer; hulp bij de "
        "administratie via een Wmo-indicatie.",
    },
}
