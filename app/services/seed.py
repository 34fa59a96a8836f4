"""Reference organisations (COVENANT.md §1, §6) and, in demo mode only, demo users."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, User


@dataclass(frozen=True)
class OrgSeed:
    key: str
    name: str
    kind: str
    homes: int | None = None
    process_id: str | None = None


#: housing stock: QuaWonen and Groen Wonen Vlist from public sources; the others are
#: ASSUMPTION (editable data, used only for reports per 1,000 homes and the simulation)
ORGANISATIONS: tuple[OrgSeed, ...] = (
    OrgSeed("quawonen", "QuaWonen", "corporatie", 8400, "quawonen"),
    OrgSeed("groenwonenvlist", "Groen Wonen Vlist", "corporatie", 1000, "groenwonenvlist"),
    OrgSeed("beterwonen", 'Woningbouwvereniging "Beter Wonen"', "corporatie", 1100, "beterwonen"),
    OrgSeed(
        "samenwerking", 'Woningbouwstichting "Samenwerking"', "corporatie", 1250, "samenwerking"
    ),
    OrgSeed("gouderak", "Woningstichting Gouderak", "corporatie", 800, "gouderak"),
    OrgSeed("woonzorg", "Woonzorg Nederland", "corporatie", 350, "woonzorg"),
    OrgSeed("vestia", "Vestia", "corporatie", 600, "vestia"),
    OrgSeed("ggd", "GGD Hollands-Midden, Meldpunt Zorg en Overlast", "meldpunt"),
    OrgSeed("gemeente", "Gemeente Krimpenerwaard", "gemeente"),
    OrgSeed("wijkteam", "Wijkteam Krimpenerwaard", "zorg"),
    OrgSeed("convenant", "Convenantpartijen", "beheer"),
)

#: the demo organisations' team mailboxes (reserved .example domain: nothing is delivered)
DEMO_TEAM_EMAIL = "team@{key}.example"

#: username -> (organisation key, role, display name); password "demo" in demo mode only
DEMO_USERS: dict[str, tuple[str, str, str]] = {
    "quawonen": ("quawonen", "corporatie", "Woonconsulent QuaWonen"),
    "groenwonenvlist": ("groenwonenvlist", "corporatie", "Woonconsulent Groen Wonen Vlist"),
    "beterwonen": ("beterwonen", "corporatie", "Medewerker Beter Wonen"),
    "samenwerking": ("samenwerking", "corporatie", "Medewerker Samenwerking"),
    "gouderak": ("gouderak", "corporatie", "Medewerker Woningstichting Gouderak"),
    "woonzorg": ("woonzorg", "corporatie", "Medewerker Woonzorg Nederland"),
    "vestia": ("vestia", "corporatie", "Incassomedewerker Vestia"),
    "meldpunt": ("ggd", "meldpunt", "Medewerker Meldpunt Zorg en Overlast"),
    "schuldhulp": ("gemeente", "schuldhulp", "Schuldhulpverlener"),
    "sociale-zaken": ("gemeente", "sociale_zaken", "Consulent Sociale Zaken"),
    "sociaal-domein": ("gemeente", "sociaal_domein", "Consulent Sociaal Domein"),
    "oov": ("gemeente", "oov", "Adviseur Openbare Orde en Veiligheid"),
    "regiehouder": ("wijkteam", "regiehouder", "Regiehouder Wijkteam"),
    "procesbeheer": ("convenant", "procesbeheer", "Procesbeheerder"),
    "evaluatie": ("convenant", "evaluatie", "Evaluatieoverleg"),
    "beheer": ("convenant", "beheer", "Functioneel beheer"),
}


def seed_organisations() -> dict[str, Organisation]:
    """Create missing organisations; return all by key."""
    existing = {o.key: o for o in db.session.scalars(select(Organisation))}
    for seed in ORGANISATIONS:
        if seed.key not in existing:
            org = Organisation(
                key=seed.key, name=seed.name, kind=seed.kind, homes=seed.homes,
                process_id=seed.process_id,
            )  # fmt: skip
            db.session.add(org)
            existing[seed.key] = org
    db.session.flush()
    return existing


def seed_demo_users(password: str = "demo") -> list[User]:  # noqa: S107 - demo only
    """One user per party with a known password: never call outside demo mode."""
    orgs = seed_organisations()
    for org in orgs.values():  # demo team mailboxes for task and digest mail
        org.team_email = org.team_email or DEMO_TEAM_EMAIL.format(key=org.key)
    hasher = PasswordHasher()
    known = {u.username for u in db.session.scalars(select(User))}
    created = []
    for username, (org_key, role, display) in DEMO_USERS.items():
        if username in known:
            continue
        user = User(
            username=username, display_name=display, organisation_id=orgs[org_key].id,
            role=role, password_hash=hasher.hash(password), active=True, failed_logins=0,
        )  # fmt: skip
        db.session.add(user)
        created.append(user)
    db.session.flush()
    return created
